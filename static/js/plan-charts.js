/* The leaders' dashboard: each target's running figure (month ends) against the even pace to the
   target, from the JSON in #plan-charts ({names, charts: {key: {labels, actual, pace}}}), drawn in
   every canvas[data-plan-chart=key]; and the time-gone marker on each progress bar. */
(function () {
  "use strict";
  document.querySelectorAll("[data-marker-left]").forEach(function (mark) {
    mark.style.left = Math.max(0, Math.min(100, Number(mark.dataset.markerLeft) || 0)) + "%";
  });
  var source = document.getElementById("plan-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var d = JSON.parse(source.textContent);
  document.querySelectorAll("canvas[data-plan-chart]").forEach(function (canvas) {
    var c = d.charts[canvas.dataset.planChart];
    if (!c) { return; }
    var small = !canvas.closest(".plan-chart-big");
    var sets = [{ label: d.names.actual, data: c.actual, borderColor: "#c8161d", backgroundColor: "#c8161d",
                  pointRadius: small ? 0 : 2, borderWidth: 2, spanGaps: false }];
    if (c.pace) {
      sets.push({ label: d.names.pace, data: c.pace, borderColor: "#8a8f98", borderDash: [4, 4],
                  pointRadius: 0, borderWidth: 1 });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: c.labels, datasets: sets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: !small } },
                 scales: { x: { ticks: { maxTicksLimit: small ? 4 : 12 } }, y: { beginAtZero: true } } }
    });
  });
})();
