/* The header search box, two jobs. Loaded before Material's bundle (overrides/main.html).

   1. Its index on demand. Material 9.8 requests search/search_index.json as soon as a page
      starts (its bundle subscribes at startup; no setting turns that off), ~31 KB gzipped that
      most visits never use. Its request is held here until the search box is opened or
      focused, then sent unchanged: Material's own code reads the answer as before. Every other
      request passes through untouched. tests/browser/test_site.py fails if Material changes how
      it fetches the index (no request held, or search no longer answering).
   2. A hand-off to the browse page: browse/?q=<what was typed>, which searches every paper. */
(function () {
  var INDEX = /\/search\/search_index\.json$/, held = [], opened = false;
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.rlHold = !opened && INDEX.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.rlHold) { held.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };
  function release() {
    if (opened) return;
    opened = true;
    held.splice(0).forEach(function (call) { send.apply(call[0], call[1]); });
  }

  function start() {
    var toggle = document.getElementById("__search"), input = document.querySelector(".md-search__input");
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) release(); });
    if (!input) return;
    input.addEventListener("focus", release);
    var box = document.getElementById("rl-search-all");
    if (!box) return;
    var link = box.querySelector("a"), shown = box.querySelector(".rl-search-all__q"), base = link.getAttribute("href");
    function update() {
      var q = input.value.trim();
      box.hidden = !q;
      shown.textContent = q;
      link.setAttribute("href", base + (q ? "?q=" + encodeURIComponent(q).replace(/%20/g, "+") : ""));
    }
    ["input", "keyup", "change", "focus"].forEach(function (type) { input.addEventListener(type, update); });
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
