/* Cohort report charts: attendance per lesson (stacked) and founders by attendance band. */
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("report-data").textContent);
  var colours = { present: "#1a7f37", late: "#c27c00", excused: "#1d5fbf", absent: "#c8161d" };
  var lessons = document.getElementById("chart-lessons");
  if (lessons && d.lessons.length) {
    new Chart(lessons, {
      type: "bar",
      data: { labels: d.lessons, datasets: ["present", "late", "excused", "absent"].map(function (k) {
        return { label: d.labels[k], data: d[k], backgroundColor: colours[k] };
      }) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var bands = document.getElementById("chart-bands");
  if (bands) {
    new Chart(bands, {
      type: "bar",
      data: { labels: d.bands.map(function (b) { return b.label; }),
              datasets: [{ label: d.founders, data: d.bands.map(function (b) { return b.count; }),
                           backgroundColor: "#3d6bd6" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var grades = document.getElementById("chart-grades");
  if (grades) {
    new Chart(grades, {
      type: "bar",
      data: { labels: d.grade_labels, datasets: [{ label: d.grade_label, data: d.grade_counts, backgroundColor: "#8a4fd6" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
