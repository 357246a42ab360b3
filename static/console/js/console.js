// Console behaviour that needs script. Everything works without it; this only adds shortcuts.
// Loaded as a file (the CSP forbids inline script). Keyboard shortcuts for triage live in
// queue.js and report.js next to the pages that use them.
(function () {
  "use strict";
  // Requests the page makes by itself (progress polling) must not keep an idle session alive.
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.hasAttribute("data-poll")) {
      event.detail.headers["X-Console-Poll"] = "1";
    }
  });
})();
