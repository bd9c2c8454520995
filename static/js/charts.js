// Draws every chart on the page from the figure data the server wrote beside it
// (<script type="application/json">): no inline script, so the Content Security Policy can
// forbid them. Runs deferred, after plotly.js and before the page's own scripts.
// On a narrow screen a honeycomb shows its compact texts (cell code and score; domain codes),
// which the server adds as layout.meta.compact: the full names would pile on each other.
// Each cell's text is then sized to stay inside its hexagon (and under the disagreement mark
// where a cell has one), whatever width the chart gets; the chart is marked data-fitted.
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
  var SMALLEST = 6.5;  // px: below this a label is no longer readable
  var ROOT3 = Math.sqrt(3);
  function compact(figure, width) {
    var meta = figure.layout && figure.layout.meta && figure.layout.meta.compact;
    if (!meta || width >= NARROW) { return; }
    figure.data.forEach(function (trace) {
      var bar = trace.marker && trace.marker.colorbar;
      if (bar && bar.tickvals) { bar.ticktext = bar.tickvals.map(String); }  // levels by number
      if (trace.name === meta.trace) {
        trace.text = meta.text;
        trace.textfont = Object.assign({}, trace.textfont, {size: 9});
      }
    });
    // A phone's honeycomb is as tall as it is wide (plus its keys), not a desktop's height.
    figure.layout.height = Math.min(figure.layout.height || 600, Math.round(width * 1.1) + 160);
    (figure.layout.annotations || []).forEach(function (note) {
      if (meta.annotations[note.text]) { note.text = meta.annotations[note.text]; }
    });
  }
  function fitCells(target, figure) {
    var meta = figure.layout && figure.layout.meta && figure.layout.meta.compact;
    var done = function () { target.setAttribute("data-fitted", "true"); };
    if (!meta) { done(); return; }
    var index = target.data.findIndex(function (t) { return t.name === meta.trace; });
    var hexagon = target.querySelector(".layer-subplot .shapelayer path");
    var layers = target.querySelectorAll(".scatterlayer .trace");
    if (index < 0 || !hexagon || !layers[index]) { done(); return; }
    var radius = hexagon.getBBox().height / 2 * 0.94;  // a little room from the edge
    var trace = target.data[index];
    var current = trace.textfont.size;
    var base = figure.data[index] && figure.data[index].textfont && figure.data[index].textfont.size;
    base = typeof base === "number" ? base : 12;
    var marked = {};
    target.data.forEach(function (t) {
      if (t.meta === "spread") { (t.customdata || []).forEach(function (c) { marked[c[0]] = true; }); }
    });
    var sizes = [];
    layers[index].querySelectorAll(".textpoint text").forEach(function (text, i) {
      var size = Array.isArray(current) ? current[i] : current;
      var box = text.getBBox();
      if (!box.width || !box.height) { sizes.push(size); return; }
      // A centred box w × h fits a pointy-top hexagon of radius R when w ≤ R√3 and
      // h/2 + w/(2√3) ≤ R; a marked cell keeps its top for the mark.
      var top = marked[(trace.customdata[i] || [])[0]] ? radius * 0.7 : radius;
      var scale = Math.min(
        radius * ROOT3 / box.width,
        radius / (box.height / 2 + box.width / (2 * ROOT3)),
        top / (box.height / 2)
      );
      sizes.push(Math.max(SMALLEST, Math.min(base, Math.floor(size * scale * 2) / 2)));
    });
    if (!sizes.length) { done(); return; }
    window.Plotly.restyle(target, {"textfont.size": [sizes]}, [index]).then(done);
  }
  document.querySelectorAll("[data-plot]").forEach(function (target) {
    var source = document.getElementById(target.getAttribute("data-plot"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    compact(figure, target.clientWidth);
    window.Plotly.newPlot(target, figure.data, figure.layout, figure.config).then(function () {
      fitCells(target, figure);
      var waiting = null;
      window.addEventListener("resize", function () {
        window.clearTimeout(waiting);
        target.removeAttribute("data-fitted");
        waiting = window.setTimeout(function () { fitCells(target, figure); }, 200);
      });
    });
  });
})();
