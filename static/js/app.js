// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After an HTMX swap, move focus to the first element that asks for it, so
  // keyboard and screen-reader users land on the new content.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target.querySelector("[data-focus-after-swap]");
    if (target) {
      target.focus();
    }
  });
  // Confirmation prompts without inline script: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
