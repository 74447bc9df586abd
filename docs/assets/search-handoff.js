/* Keep the hand-off link in step with the search box: browse/?q=<what was typed>. */
(function () {
  var input = document.querySelector(".md-search__input"), box = document.getElementById("rl-search-all");
  if (!input || !box) return;
  var link = box.querySelector("a"), shown = box.querySelector(".rl-search-all__q"), base = link.getAttribute("href");
  function update() {
    var q = input.value.trim();
    box.hidden = !q;
    shown.textContent = q;
    link.setAttribute("href", base + (q ? "?q=" + encodeURIComponent(q).replace(/%20/g, "+") : ""));
  }
  ["input", "keyup", "change", "focus"].forEach(function (type) { input.addEventListener(type, update); });
  update();
})();
