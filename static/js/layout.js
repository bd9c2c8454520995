// The header menu on small screens, and labels for tables that scroll sideways.
// Without JavaScript the menu stays open and the tables still scroll.
(function () {
  "use strict";

  function setUpMenu() {
    var nav = document.querySelector(".site-nav");
    var button = document.querySelector(".menu-toggle");
    if (!nav || !button) return;
    button.hidden = false;
    nav.classList.add("menu-ready");
    function close() {
      nav.classList.remove("is-open");
      button.setAttribute("aria-expanded", "false");
    }
    button.addEventListener("click", function () {
      var open = !nav.classList.contains("is-open");
      nav.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        close();
        button.focus();
      }
    });
  }

  function labelTables() {
    var fallback = document.documentElement.lang === "nl" ? "Tabel" : "Table";
    document.querySelectorAll(".table-wrap, .table-scroll").forEach(function (wrap) {
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby")) return;
      var caption = wrap.querySelector("caption");
      var label = caption ? caption.textContent.trim() : "";
      if (!label) {
        var section = wrap.closest("section, article, main");
        var heading = section && section.querySelector("h1, h2, h3");
        label = heading ? heading.textContent.trim() : fallback;
      }
      wrap.setAttribute("aria-label", label);
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpMenu(); labelTables(); });
  } else {
    setUpMenu();
    labelTables();
  }
})();
