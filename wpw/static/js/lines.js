// Enhancement only: highlight a range of lines named in the URL fragment
// (#L3-L5). Single lines (#L5) are highlighted by CSS :target alone, and the
// server highlights ?lines=3-5 without any script.
(function () {
  "use strict";
  function highlightFromHash() {
    var m = /^#L(\d+)-L(\d+)$/.exec(window.location.hash);
    document.querySelectorAll(".lines li.js-hl").forEach(function (li) {
      li.classList.remove("hl", "js-hl");
    });
    if (!m) { return; }
    var first = Math.min(+m[1], +m[2]), last = Math.max(+m[1], +m[2]);
    for (var n = first; n <= last; n++) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add("hl", "js-hl"); }
    }
    var start = document.getElementById("L" + first);
    if (start) { start.scrollIntoView({ block: "center" }); }
  }
  window.addEventListener("hashchange", highlightFromHash);
  highlightFromHash();
})();
