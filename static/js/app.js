// Progressive enhancements that need the browser: its time zone, mostly.
(function () {
  "use strict";

  function browserTimezone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function enhance(root) {
    var zone = browserTimezone();
    root.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      if (!input.value && zone) input.value = zone;
    });
    root.querySelectorAll("[data-use-browser-timezone]").forEach(function (button) {
      var form = button.closest("form");
      var select = form && form.querySelector("select[name=timezone]");
      if (!select || !zone || select.value === zone) return;
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) return;
      button.textContent = "Use this device's time zone (" + zone.replace(/_/g, " ") + ")";
      button.hidden = false;
      button.addEventListener("click", function () {
        select.value = zone;
        button.hidden = true;
      });
    });
  }

  // A message in the page's flash area, as the server's flashes show: the one place scripts write
  // there (pwa.js uses it too).
  function flash(message, kind) {
    var flashes = document.getElementById("flashes");
    if (!flashes || !message) return;
    var line = document.createElement("p");
    line.className = "flash flash-" + kind;
    line.setAttribute("role", kind === "error" ? "alert" : "status");
    line.textContent = message;
    flashes.replaceChildren(line);
  }
  window.manifestFlash = flash;

  // Suggestions as you type (foods, tags): arrow keys move between the input and the suggested
  // buttons, Escape goes back to typing. The list is the element the input's aria-controls names.
  function suggestionButtons(list) {
    return list ? Array.prototype.slice.call(list.querySelectorAll("button")) : [];
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
    var target = event.target;
    var input = target.matches && target.matches("input[aria-controls]") ? target : null;
    var list = input ? document.getElementById(input.getAttribute("aria-controls")) : null;
    if (!input) {
      list = target.closest && target.closest(".suggestions, .tag-suggestions");
      input = list && list.id ? document.querySelector('input[aria-controls="' + list.id + '"]') : null;
    }
    var buttons = suggestionButtons(list);
    if (!input || !buttons.length) return;
    var at = buttons.indexOf(target);
    var next = null;
    if (event.key === "Escape") next = at >= 0 ? input : null;
    else if (event.key === "ArrowDown") next = buttons[Math.min(at + 1, buttons.length - 1)];
    else next = at <= 0 ? input : buttons[at - 1];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // A stepper's tap states the number the user sees it make, counted from the field, not from the
  // page as the server last drew it, and is sent as that number. While a row is saving, taps wait
  // for the row's answer: the answer redraws the row, and htmx drops requests queued by the form it
  // replaced. Taps faster than the answers each count, and the last one wins.
  var savingRows = {};  // row id -> {since, waiting}
  var SAVE_WAIT_MS = 10000;  // an answer that never redraws the row does not block it for good

  function saving(row) {
    var state = savingRows[row.id];
    return state && Date.now() - state.since < SAVE_WAIT_MS ? state : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".stepper button[data-step]");
    var field = button && button.parentElement.querySelector("input[name=value]");
    var row = button && button.closest("li[id]");
    if (!field || !row) return;
    var shown = field.value.trim() === "" ? 0 : Number(field.value.replace(",", "."));
    if (!isFinite(shown) || shown < 0) return;  // the server answers what is wrong with the text
    event.preventDefault();
    field.value = String(Math.max(0, Math.round((shown + Number(button.getAttribute("data-step"))) * 100) / 100));
    var state = saving(row);
    if (state) {
      state.waiting = field.value;
    } else {
      savingRows[row.id] = { since: Date.now() };
      field.form.requestSubmit();  // the field's number, as if typed
    }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    // A typed number saving counts too; the check-in's answer always redraws its row.
    var form = event.detail.elt;
    var row = form.matches && form.matches("form.checkin") && form.closest("li[id]");
    if (row && row.querySelector(".stepper") && !saving(row)) savingRows[row.id] = { since: Date.now() };
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var row = event.detail.elt;
    var state = row && row.id && savingRows[row.id];
    if (!state) return;
    delete savingRows[row.id];
    var field = row.querySelector(".stepper input[name=value]");
    if (state.waiting === undefined || !field || field.disabled) return;
    field.value = state.waiting;
    savingRows[row.id] = { since: Date.now() };
    field.form.requestSubmit();
  });
  document.addEventListener("htmx:responseError", function (event) {
    var row = event.detail.elt.closest && event.detail.elt.closest("li[id]");
    if (row) delete savingRows[row.id];
  });

  // A request that never reached the server (offline, server gone) saved nothing. Controls that
  // showed the change before the answer (a ticked box, a stepped number) go back to what is saved,
  // and the page says so; typed text is left for another try.
  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    var form = elt.closest && elt.closest("form");
    if (form) {
      form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (box) {
        box.checked = box.defaultChecked;
      });
      form.querySelectorAll(".stepper input").forEach(function (field) { field.value = field.defaultValue; });
      var row = form.closest("li[id]");
      if (row) delete savingRows[row.id];
    }
    flash("Not saved: the server could not be reached. Check your connection and try again.", "error");
  });

  // An answer for earlier typing can arrive after the arrow key moved into the list. The new list
  // keeps the keyboard where it was: on the suggestion with the same label, else the first one,
  // else back in the input.
  var keptSuggestion = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var list = event.detail.target;
    keptSuggestion = null;
    if (!list.matches || !list.matches(".suggestions, .tag-suggestions")) return;
    var focused = document.activeElement;
    if (focused && focused.tagName === "BUTTON" && list.contains(focused)) {
      keptSuggestion = { list: list, label: focused.textContent.trim() };
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!keptSuggestion || event.detail.target !== keptSuggestion.list) return;
    var list = keptSuggestion.list;
    var label = keptSuggestion.label;
    keptSuggestion = null;
    var buttons = suggestionButtons(list);
    var same = buttons.filter(function (b) { return b.textContent.trim() === label; })[0];
    var input = document.querySelector('input[aria-controls="' + list.id + '"]');
    var next = same || buttons[0] || input;
    if (next) next.focus();
  });

  // A region that follows changes made elsewhere on the page (data-follows, docs/architecture.md)
  // reloads itself on the events its hx-trigger hears on body. Its own actions already answer with
  // it, so an event that started inside it is not for it: reloading would drop their notice and the
  // focus they set. (An hx-trigger filter would say this too, but filters need eval, which the
  // Content-Security-Policy forbids.)
  document.addEventListener("htmx:confirm", function (event) {
    var region = event.detail.elt;
    var cause = event.detail.triggeringEvent;
    if (!cause || !region.hasAttribute || !region.hasAttribute("data-follows")) return;
    if (cause.target instanceof Node && region.contains(cause.target)) event.preventDefault();
  });

  // A meal's add form opens on demand (a <details>, so it opens without JavaScript too). Whoever
  // opened it came to type: the food's name gets the focus. Opened another way (by the page, by a
  // link to it), it leaves the focus where it is.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("details.meal-add > summary");
    if (summary) summary.parentElement.setAttribute("data-opened-by-hand", "");
  });
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.meal-add")) return;
    var byHand = details.hasAttribute("data-opened-by-hand");
    details.removeAttribute("data-opened-by-hand");
    var input = details.querySelector("input[name=food_name]");
    if (details.open && byHand && input) input.focus();
  }, true);

  // The header search swaps its results into the page and keeps the header, whose menu still marks
  // the page the user came from. The results page is no menu item's (a full load of it marks none).
  document.addEventListener("htmx:afterSwap", function (event) {
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!from || !from.closest || !from.closest("[role=search]")) return;
    document.querySelectorAll('header [aria-current="page"]').forEach(function (item) {
      item.removeAttribute("aria-current");
    });
  });

  // A number habit's day on the habits list opens its value entry: the field takes the focus, so a
  // tap on the day, the number and Enter are all it takes.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches(".mark-entry") || !details.open) return;
    var field = details.querySelector("input[name=value]");
    if (field) field.focus();
  }, true);

  // A number habit's value saved from the habits list comes back with its entry folded: the focus
  // goes back to the day it was typed for, not to the top of the page.
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var entry = active && active.closest && active.closest(".mark-entry");
    // Only the swap that replaces the entry: the bell's poll must not move the focus of a user typing.
    if (entry && event.detail.target && event.detail.target.contains(entry)) refocus = entry.querySelector("summary").id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var mark = refocus && document.getElementById(refocus);
    refocus = null;
    if (mark) mark.focus();
  });

  // Sub-goals folded away (details[data-keep-folded]) stay folded when their list refreshes itself
  // after a change: the page remembers which, the server does not need to.
  // Clicks, not "toggle" events: a details element parsed open reports a toggle of its own.
  var folded = {};
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("summary");
    var details = summary && summary.parentElement;
    if (!details || !details.matches("details[data-keep-folded]") || !details.id) return;
    if (details.open) folded[details.id] = true;  // this click folds it
    else delete folded[details.id];
  });
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!root.querySelectorAll) return;
    root.querySelectorAll("details[data-keep-folded]").forEach(function (details) {
      if (folded[details.id]) details.open = false;
    });
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
