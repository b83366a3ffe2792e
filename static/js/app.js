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

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
