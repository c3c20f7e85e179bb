// Enhancement only: choose the lines or the passage of a new annotation on the
// section page. Without this script the form asks for the line numbers.
//
// Mouse: click a line number selects that line, Shift+click extends the range.
// Keyboard: the numbers are links; Enter selects, Shift+Enter extends.
// Touch: tap a number selects; with "Zaznaczaj zakres" on, the next tap extends;
// a long press on a number starts a range, and the next tap on a number ends it.
// Text selection inside the lines fills the passage's offsets into the section's
// text (its lines joined with "\n"); "Zgłoś uwagę do zaznaczenia" moves to the form.
(function () {
  "use strict";
  var form = document.getElementById("annotate");
  var list = document.querySelector(".lines.annotated");
  if (!form || !list) { return; }

  var status = document.getElementById("selection-status");
  var first = form.querySelector("#first_line");
  var last = form.querySelector("#last_line");
  var start = form.querySelector("[data-role=start]");
  var end = form.querySelector("[data-role=end]");
  var passageBox = document.getElementById("selected-passage");
  var passage = passageBox.querySelector("[data-role=passage]");
  var anchorLine = null;
  var i18n = JSON.parse(form.getAttribute("data-i18n"));

  // The toolbar: the range toggle (for touch) and the "annotate selection" button.
  var bar = document.createElement("div");
  bar.className = "annotate-bar";
  bar.innerHTML =
    '<label class="range-toggle"><input type="checkbox" id="range-mode"> </label>' +
    '<button type="button" class="annotate-selection" hidden></button>';
  bar.querySelector("label").appendChild(document.createTextNode(i18n.range));
  var rangeMode = bar.querySelector("#range-mode");
  var goButton = bar.querySelector("button");
  goButton.textContent = i18n.go;
  list.parentNode.insertBefore(bar, list);

  function announce(text) {
    if (status) { status.textContent = text; }
  }

  function mark(a, b) {
    list.querySelectorAll("li.sel").forEach(function (li) {
      li.classList.remove("sel");
    });
    for (var n = a; n <= b; n++) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add("sel"); }
    }
  }

  function clearPassage() {
    start.value = "";
    end.value = "";
    passage.textContent = "";
    passageBox.hidden = true;
  }

  function selectLines(n, extend) {
    var a = n, b = n;
    if (extend && anchorLine !== null) {
      a = Math.min(anchorLine, n);
      b = Math.max(anchorLine, n);
    } else {
      anchorLine = n;
    }
    first.value = a;
    last.value = b;
    clearPassage();
    mark(a, b);
    goButton.hidden = false;
    announce(a === b ? i18n.line.replace("{a}", a)
      : i18n.lines.replace("{a}", a).replace("{b}", b));
  }

  function lineNumber(link) {
    return parseInt(link.textContent, 10);
  }

  // A long press (touch) on a line number: that line starts a range; the next
  // tap on a number extends the selection to it.
  var LONG_PRESS_MS = 450;
  var pressTimer = null;
  var pressPoint = null;
  var extendOnce = false;
  var longPressed = false;  // the finger that pressed long is still down
  var pressedLink = null;  // its line number, whose own click (if any) is ignored
  var ignoreClickUntil = 0;

  function cancelPress() {
    if (pressTimer !== null) { clearTimeout(pressTimer); }
    pressTimer = null;
    pressPoint = null;
  }

  list.addEventListener("touchstart", function (event) {
    var link = event.target.closest("a.ln");
    cancelPress();
    if (!link || event.touches.length !== 1) { return; }
    var touch = event.touches[0];
    pressPoint = { x: touch.clientX, y: touch.clientY };
    pressTimer = setTimeout(function () {
      pressTimer = null;
      var n = lineNumber(link);
      selectLines(n, false);
      extendOnce = true;
      longPressed = true;
      pressedLink = link;
      link.focus();
      if (navigator.vibrate) { navigator.vibrate(20); }
      announce(i18n.rangeStart.replace("{a}", n));
    }, LONG_PRESS_MS);
  }, { passive: true });

  list.addEventListener("touchmove", function (event) {
    if (!pressPoint) { return; }
    var touch = event.touches[0];
    if (Math.abs(touch.clientX - pressPoint.x) > 10 ||
        Math.abs(touch.clientY - pressPoint.y) > 10) {
      cancelPress();  // the finger scrolls the page
    }
  }, { passive: true });

  list.addEventListener("touchend", function (event) {
    if (longPressed && event.cancelable) {
      event.preventDefault();  // the long press ends here: no click follows
    }
    if (longPressed) { ignoreClickUntil = Date.now() + 800; }
    longPressed = false;
    cancelPress();
  });
  list.addEventListener("touchcancel", function () {
    longPressed = false;
    cancelPress();
  });

  // No context menu over a line number during a long press.
  list.addEventListener("contextmenu", function (event) {
    if (event.target.closest("a.ln") && (longPressed || pressTimer !== null)) {
      event.preventDefault();
    }
  });

  list.addEventListener("click", function (event) {
    var link = event.target.closest("a.ln");
    if (!link) { return; }
    event.preventDefault();
    if (longPressed || (link === pressedLink && Date.now() < ignoreClickUntil)) {
      return;  // the click that ends a long press, if the browser sends one
    }
    var extend = event.shiftKey || rangeMode.checked || extendOnce;
    extendOnce = false;
    selectLines(lineNumber(link), extend);
  });

  list.addEventListener("keydown", function (event) {
    var link = event.target.closest("a.ln");
    if (!link || event.key !== "Enter") { return; }
    event.preventDefault();  // no click, no new window for Shift+Enter
    extendOnce = false;
    selectLines(lineNumber(link), event.shiftKey);
  });

  // Offset of (node, offset) inside the section's text, or null outside a line.
  function textOffset(node, offset) {
    var el = node.nodeType === 1 ? node : node.parentNode;
    var span = el && el.closest(".lt");
    if (!span || !list.contains(span)) { return null; }
    var range = document.createRange();
    range.selectNodeContents(span);
    range.setEnd(node, offset);
    var before = 0;
    var spans = list.querySelectorAll(".lt");
    for (var i = 0; i < spans.length && spans[i] !== span; i++) {
      before += spans[i].textContent.length + 1;  // + the "\n" between lines
    }
    return { offset: before + range.toString().length, line: i + 1 };
  }

  function onSelection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    var a = textOffset(range.startContainer, range.startOffset);
    var b = textOffset(range.endContainer, range.endOffset);
    if (!a || !b || b.offset <= a.offset) { return; }
    start.value = a.offset;
    end.value = b.offset;
    first.value = a.line;
    last.value = b.line;
    anchorLine = a.line;
    mark(a.line, b.line);
    passage.textContent = sel.toString();
    passageBox.hidden = false;
    goButton.hidden = false;
    announce(i18n.passage.replace("{text}", sel.toString()));
  }

  document.addEventListener("mouseup", function () { setTimeout(onSelection, 0); });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) { onSelection(); }
  });
  document.addEventListener("touchend", function () { setTimeout(onSelection, 300); });

  // Typing line numbers by hand means whole lines, not the selected passage.
  [first, last].forEach(function (input) {
    input.addEventListener("input", function () {
      clearPassage();
      var a = parseInt(first.value, 10), b = parseInt(last.value, 10);
      if (a > 0 && b >= a) { mark(a, b); }
    });
  });

  passageBox.querySelector("[data-role=clear-passage]").addEventListener(
    "click", function () { clearPassage(); announce(i18n.cleared); }
  );

  goButton.addEventListener("click", function () {
    form.scrollIntoView({ block: "start" });
    var checked = form.querySelector("input[name=kind]:checked") ||
      form.querySelector("input[name=kind]");
    checked.focus();
  });

  // A restored form (after an error) shows its selection again.
  if (start.value && end.value) {
    passageBox.hidden = true;
  }
  if (first.value && last.value) {
    mark(parseInt(first.value, 10), parseInt(last.value, 10));
  }
})();
