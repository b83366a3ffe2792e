// Let's Manifest's service worker. Rendered by the server: VERSION is a hash of the app shell's
// files, so any change to them makes a new worker with a new cache (the old ones are deleted when
// it takes over).
"use strict";

const VERSION = {{ version | tojson }};
const CACHE = "manifest-shell-" + VERSION;
const SHELL = {{ shell | tojson }};
const OFFLINE = {{ offline | tojson }};
const ACT = {{ act | tojson }};
const KEEP = new Set(SHELL.concat([OFFLINE]));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // Fetched fresh, never from the HTTP cache, so the cache holds what VERSION was made of; and
      // without cookies: the shell is the same for everyone, and an answer that set the session
      // cookie could put back the session of before a login that happened meanwhile.
      .then((cache) => cache.addAll(Array.from(KEEP, (url) => new Request(url, { cache: "reload", credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("manifest-shell-") && name !== CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

// Only the app shell is answered from the cache. Pages and API answers always go to the network
// and are never stored (they are private, and the server marks them no-store); a page that cannot
// be fetched shows the offline page instead.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (KEEP.has(url.pathname) && !url.search) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE, { cacheName: CACHE })));
  }
});

// --- push notifications -----------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { title: "Let's Manifest", body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(show(data));
});

function show(data) {
  const actions = (data.actions || []).map((a) => ({ action: a.action, title: a.title }));
  const tokens = {};
  (data.actions || []).forEach((a) => { tokens[a.action] = a.token; });
  return self.registration.showNotification(data.title || "Let's Manifest", {
    body: data.body || "",
    tag: data.tag || undefined,
    icon: SHELL.find((u) => u.endsWith("/icon-192.png")),
    badge: SHELL.find((u) => u.endsWith("/icon-192.png")),
    actions: actions,
    data: { url: data.url || "/", tokens: tokens },
  });
}

// A button (Done, Skip, +1) is done here, without opening the app: the notification carries a
// signed single-use token for it, and that token alone authorises the change (no cookie is sent).
async function act(token) {
  const response = await fetch(ACT, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: token }),
  });
  let answer = {};
  try { answer = await response.json(); } catch (e) { answer = {}; }
  return { ok: response.ok, message: answer.message || "", event: answer.event || "" };
}

// Open windows of the app follow at once: Today redraws what the action changed.
async function tellWindows(result) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((client) => client.postMessage({ type: "manifest:acted", event: result.event, message: result.message }));
}

async function openApp(path) {
  const target = new URL(path || "/", self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!open) return self.clients.openWindow(target);
  // Allowed while a notification click is being handled; a window that cannot take the focus is
  // still taken to the place.
  await open.focus().catch(() => open);
  // navigate() works on a window this worker controls; any other gets a new one.
  return open.navigate(target).catch(() => self.clients.openWindow(target));
}

async function handleClick(action, data) {
  const token = action && data.tokens ? data.tokens[action] : null;
  if (!token) return openApp(data.url);
  let result;
  try {
    result = await act(token);
  } catch (e) {
    result = { ok: false, message: "No connection: open the app to record it." };
  }
  if (result.ok) return tellWindows(result);
  // Refused (expired, used already) or offline: say so, and a click on that opens the app.
  return self.registration.showNotification("Not recorded", {
    body: result.message || "Open the app to record it.",
    tag: "manifest-action-refused",
    data: { url: data.url, tokens: {} },
  });
}

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  notification.close();
  event.waitUntil(handleClick(event.action, notification.data || {}));
});
