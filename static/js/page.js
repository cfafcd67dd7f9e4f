// Behaviour every page may use, declared in the markup (the Content-Security-Policy allows no
// inline script or event handler attributes):
//   data-confirm="..."   on a form (on submit) or a button/link (on click): ask first
//   data-select-all      on a checkbox: ticks every input[name=ids] of its form
//   data-select-on-click on a read-only field: selects its text to copy
//   data-print           on a button: prints the page
//   data-bar-width="42"  on a bar: its width in per cent
//   data-menu-toggle     the header's menu button (phones): shown by this script, it folds the
//                        links behind it and opens/closes them (aria-expanded); without this script
//                        the button stays hidden and the links show below the brand
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]:not(form), [data-select-all], [data-select-on-click], [data-print]") : null;
    if (!target) { return; }
    if (target.matches("[data-confirm]") && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    } else if (target.matches("[data-select-all]")) {
      var scope = target.form || document;
      scope.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = target.checked; });
    } else if (target.matches("[data-select-on-click]")) {
      target.select();
    } else if (target.matches("[data-print]")) {
      window.print();
    }
  });

  var toggle = document.querySelector("[data-menu-toggle]");
  if (toggle) {
    var header = toggle.closest("header");
    header.classList.add("has-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        header.classList.remove("menu-open");
        toggle.focus();
      }
    });
  }

  document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.barWidth) || 0)) + "%";
  });
})();
