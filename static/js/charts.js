// Draws every chart on the page from the figure data the server wrote beside it
// (<script type="application/json">): no inline script, so the Content Security Policy can
// forbid them. Runs deferred, after plotly.js and before the page's own scripts.
(function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-plot]").forEach(function (target) {
    var source = document.getElementById(target.getAttribute("data-plot"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
  });
})();
