// The report page: turn a selection in the account into the offsets the "add a redaction" form
// sends. Without this file the form still works with typed words. Offsets are counted in Unicode
// code points, as the server's Python strings are (JavaScript counts UTF-16 units).
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetWithin(container, node, offset) {
    // Characters of the container's text before (node, offset), in UTF-16 units.
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    var total = 0;
    var current = walker.nextNode();
    while (current) {
      if (current === node) {
        return total + offset;
      }
      total += current.nodeValue.length;
      current = walker.nextNode();
    }
    if (node === container || container.contains(node)) {
      // An element boundary: count the text of the children before it.
      var range = document.createRange();
      range.setStart(container, 0);
      range.setEnd(node, offset);
      return range.toString().length;
    }
    return -1;
  }

  function init() {
    var text = document.getElementById("testimony");
    var form = document.getElementById("add-redaction");
    if (!text || !form) {
      return;
    }
    var start = document.getElementById("add-start");
    var end = document.getElementById("add-end");
    var words = document.getElementById("add-words");
    var hint = document.getElementById("add-hint");
    var full = text.textContent;

    function clearSpan() {
      start.value = "";
      end.value = "";
    }

    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
        return;
      }
      var range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
        return;
      }
      var a = offsetWithin(text, range.startContainer, range.startOffset);
      var b = offsetWithin(text, range.endContainer, range.endOffset);
      if (a < 0 || b <= a) {
        return;
      }
      start.value = String(codePoints(full.slice(0, a)));
      end.value = String(codePoints(full.slice(0, b)));
      words.value = full.slice(a, b).trim(); // shown as the input's value: inert text
      if (hint) {
        hint.textContent = hint.getAttribute("data-selected") || hint.textContent;
      }
    });
    // Typing replaces the selection: the typed words are redacted wherever they occur.
    words.addEventListener("input", clearSpan);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
