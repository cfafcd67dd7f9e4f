/* Follow-up figures: per programme, the share still in Minhang at each month asked (of those who answered). */
(function () {
  "use strict";
  var canvas = document.getElementById("followup-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var d = JSON.parse(document.getElementById("followup-data").textContent);
  var colours = ["#3d6bd6", "#1a7f37", "#c27c00", "#8a4fd6", "#c8161d", "#1d5fbf"];
  new Chart(canvas, {
    type: "bar",
    data: { labels: d.labels, datasets: d.datasets.map(function (set, i) {
      return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
    }) },
    options: { scales: { y: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } }
  });
})();
