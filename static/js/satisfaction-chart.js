/* Satisfaction figures: per occasion, the score (1–5, left axis) and the response rate (%, right axis). */
(function () {
  "use strict";
  var canvas = document.getElementById("satisfaction-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var d = JSON.parse(document.getElementById("satisfaction-data").textContent);
  var colours = ["#c8161d", "#3d6bd6"];
  new Chart(canvas, {
    type: "bar",
    data: { labels: d.labels, datasets: d.datasets.map(function (set, i) {
      return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length], yAxisID: set.axis };
    }) },
    options: { scales: {
      score: { position: "left", beginAtZero: true, max: 5 },
      rate: { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false },
              ticks: { callback: function (v) { return v + "%"; } } }
    } }
  });
})();
