// The installable app in the browser: registers the service worker, subscribes this device to push
// notifications from the settings, and keeps an open page current when a notification's button
// (Done, Skip, +1) was used.
(function () {
  "use strict";

  var script = document.currentScript;
  var workerUrl = script && script.getAttribute("data-service-worker");
  if (!("serviceWorker" in navigator) || !workerUrl) return;

  var registration = navigator.serviceWorker.register(workerUrl, { scope: "/" });
  registration.catch(function () { /* an app without offline support still works */ });

  // --- "Notify this device" -------------------------------------------------------------------

  function keyBytes(base64url) {
    var text = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(buffer, bytes) {
    if (!buffer) return false;
    var a = new Uint8Array(buffer);
    if (a.length !== bytes.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== bytes[i]) return false;
    return true;
  }

  function deviceName() {
    var ua = navigator.userAgent;
    var browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome"
      : /Safari\//.test(ua) ? "Safari" : "Browser";
    var system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS"
      : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "";
    return system ? browser + " on " + system : browser;
  }

  function subscription(key) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return reg.pushManager.getSubscription().then(function (existing) {
        if (existing && sameKey(existing.options.applicationServerKey, key)) return existing;
        // Subscribed under another server key (the keys were replaced): start again.
        return (existing ? existing.unsubscribe() : Promise.resolve()).then(function () {
          return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        });
      });
    });
  }

  function enhanceDevices(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-push-key]") : [];
    Array.prototype.forEach.call(forms, function (form) {
      if (form.getAttribute("data-enhanced")) return;
      form.setAttribute("data-enhanced", "1");
      var section = form.closest("section") || document;
      if (!("PushManager" in window) || !("Notification" in window)) {
        var note = section.querySelector("[data-push-unsupported]");
        if (note) note.hidden = false;
        return;
      }
      form.hidden = false;
      var name = form.querySelector("input[name=name]");
      if (name && !name.value) name.value = deviceName();
      var status = form.querySelector("[data-push-status]");
      var button = form.querySelector("button[type=submit]");

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        button.disabled = true;
        status.textContent = "Asking this browser for permission…";
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") {
            throw new Error("Notifications are blocked for this site: allow them in the browser's site settings.");
          }
          status.textContent = "Subscribing this device…";
          return subscription(keyBytes(form.getAttribute("data-push-key")));
        }).then(function (sub) {
          var data = sub.toJSON();
          form.querySelector("input[name=endpoint]").value = data.endpoint || "";
          form.querySelector("input[name=p256dh]").value = (data.keys || {}).p256dh || "";
          form.querySelector("input[name=auth]").value = (data.keys || {}).auth || "";
          status.textContent = "Saving…";
          window.htmx.trigger(form, "push-subscribed");
        }).catch(function (error) {
          button.disabled = false;
          status.textContent = error && (error.name === "NotAllowedError" || /permission denied/i.test(error.message))
            ? "This browser refused: notifications are blocked for this site, or this is a private window."
            : (error && error.message) || "This device could not be subscribed.";
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceDevices(document); });
  document.addEventListener("htmx:load", function (event) { enhanceDevices(event.target); });

  // --- logging out -------------------------------------------------------------------------------

  // This device stops getting the account's notifications: the form names its subscription to the
  // server and the browser drops it. Whatever happens, the user is logged out within a moment.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.logout") || form.hasAttribute("data-device-forgotten")) return;
    var field = form.querySelector("input[name=push_endpoint]");
    if (!field) return;
    event.preventDefault();
    form.setAttribute("data-device-forgotten", "");
    var sent = false;
    function send() {
      if (sent) return;
      sent = true;
      form.submit();
    }
    window.setTimeout(send, 1500);
    navigator.serviceWorker.getRegistration().then(function (reg) {
      return reg && reg.pushManager ? reg.pushManager.getSubscription() : null;
    }).then(function (sub) {
      if (!sub) return null;
      field.value = sub.endpoint;
      return sub.unsubscribe();
    }).catch(function () { /* logging out matters more than tidying up */ }).then(send);
  });

  // --- a notification's button was used ----------------------------------------------------------

  function say(message) {
    if (window.manifestFlash) window.manifestFlash(message, "success");  // static/js/app.js
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type !== "manifest:acted" || !window.htmx) return;
    say(message.message);
    if (document.getElementById("today-main")) {
      // Today shows the habit and goal rows the action changed: redraw it as it now is.
      window.htmx.ajax("GET", window.location.pathname + window.location.search,
        { target: "#today-main", select: "#today-main", swap: "outerHTML" });
    } else if (message.event) {
      window.htmx.trigger(document.body, message.event);
    }
    // The notification it came from is read now: the bell follows.
    window.htmx.trigger(document.body, "notifications-changed");
  });
})();
