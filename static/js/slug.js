// Fills a short-name field from the name as it is typed ("Woonstichting De Linde" ->
// "woonstichting-de-linde") until someone types in the short name itself. Without
// JavaScript the server fills it in from the name.
(function () {
  "use strict";

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70);
  }

  document.querySelectorAll("[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!source) return;
    var touched = slug.value !== "";
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (!touched) slug.value = slugify(source.value);
    });
  });
})();
