// A click on a hexagon opens that cell's detail page. The same links are in the table under
// the chart, which is the keyboard and screen-reader route.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".js-honeycomb-wrap .plotly-graph-div").forEach(function (plot) {
    if (!plot.on) { return; }
    plot.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata && point.customdata[1];
      if (url) { window.location.href = url; }
    });
  });
});
