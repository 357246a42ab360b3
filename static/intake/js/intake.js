/* Placeholder until the client-side encryption lands: quick exit only. */
(function () {
  "use strict";
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(exit.href);
    });
  }
})();
