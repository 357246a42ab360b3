// Keyboard triage for the queue (j/k, Enter/o, a, x, /, ?). Everything it does is also a link,
// a button or a checkbox on the page; this only saves reaching for the mouse. No inline script
// (strict CSP), and it re-finds rows after HTMX swaps the results.
(function () {
  "use strict";
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue-table] tr[data-row]"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) { current = -1; return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function toggleHelp() {
    var help = document.getElementById("queue-help");
    if (help) help.open = !help.open;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var row = currentRow();
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current < 0 ? 0 : current - 1); break;
      case "Enter":
      case "o": {
        var link = row && row.querySelector("[data-open]");
        if (!link) return;
        link.click();
        break;
      }
      case "a": {
        var assign = row && row.querySelector("[data-assign-me]");
        if (!assign) return;
        assign.click();
        break;
      }
      case "x": {
        var tick = row && row.querySelector("[data-tick]");
        if (!tick) return;
        tick.checked = !tick.checked;
        break;
      }
      case "/": {
        var search = document.querySelector("#queue-filters input[name=q]");
        if (!search) return;
        search.focus();
        search.select();
        break;
      }
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  // After HTMX replaces the results, the old selection points at rows that are gone.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "queue-results") current = -1;
  });
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-queue-table] tr[data-row]");
    if (row) current = rows().indexOf(row);
  });
})();
