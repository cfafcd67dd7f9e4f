/* Grade distribution on the results page: founders per band of weighted total. */
(function () {
  "use strict";
  var cfgEl = document.getElementById("chart-config"), canvas = document.getElementById("grade-chart");
  if (!cfgEl || !canvas || typeof Chart === "undefined") return;
  var cfg = JSON.parse(cfgEl.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: cfg.labels, datasets: [{ label: cfg.label, data: cfg.counts, backgroundColor: "#c8161d", borderRadius: 4 }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
