// The offline page (shown by the service worker for a page it could not fetch) tries the page
// again as soon as the browser is back online.
(function () {
  "use strict";
  window.addEventListener("online", function () { window.location.reload(); });
})();
