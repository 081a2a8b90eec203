/* Draws the analytics dashboard's charts from the JSON the page embeds (json_script "analytics-charts").
 * No inline script or style and no eval: Chart.js (vendored) draws on canvases; every chart repeats a
 * table printed beside it, which stays the accessible form of the figures. */
(function () {
  "use strict";
  var PALETTE = ["#1f6feb", "#d97706", "#15803d", "#9333ea"];

  function draw() {
    var source = document.getElementById("analytics-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (chart) {
      var canvas = document.getElementById("chart-" + chart.key);
      if (!canvas) {
        return;
      }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.values,
              backgroundColor: PALETTE[index % PALETTE.length]
            };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: chart.labels.length > 6 ? "y" : "x",
          plugins: { legend: { display: chart.series.length > 1 } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
