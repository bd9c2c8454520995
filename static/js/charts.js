// Draws every chart on the page from the figure data the server wrote beside it
// (<script type="application/json">): no inline script, so the Content Security Policy can
// forbid them. Runs deferred, after plotly.js and before the page's own scripts.
// On a narrow screen a honeycomb shows its compact texts (cell code and score; domain codes),
// which the server adds as layout.meta.compact: the full names would pile on each other.
(function () {
  if (!window.Plotly) { return; }
  // plotly.js turns the <b>/<i> of chart texts into SVG style attributes through
  // setAttribute("style", ...), which the policy (style-src-attr 'none') refuses, and the text
  // would lose its bold. The same declarations set through CSSOM (element.style) are allowed:
  // the policy stops style attributes written into the page's markup, not our own scripts.
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof SVGElement && String(name).toLowerCase() === "style") {
      this.style.cssText = value;
      return;
    }
    return setAttribute.apply(this, arguments);
  };
  var NARROW = 560;
  function compact(figure, width) {
    var meta = figure.layout && figure.layout.meta && figure.layout.meta.compact;
    if (!meta || width >= NARROW) { return; }
    figure.data.forEach(function (trace) {
      if (trace.name === meta.trace) {
        trace.text = meta.text;
        trace.textfont = Object.assign({}, trace.textfont, {size: 9});
      }
    });
    (figure.layout.annotations || []).forEach(function (note) {
      if (meta.annotations[note.text]) { note.text = meta.annotations[note.text]; }
    });
  }
  document.querySelectorAll("[data-plot]").forEach(function (target) {
    var source = document.getElementById(target.getAttribute("data-plot"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    compact(figure, target.clientWidth);
    window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
  });
})();
