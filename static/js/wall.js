/* The check-in wall refreshes itself every few seconds without reloading the page. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("wall-config").textContent), T = cfg.text;
  var REFRESH_MS = 5000;
  var $ = function (id) { return document.getElementById(id); };
  var chart = new Chart($("wall-chart"), {
    type: "bar",
    data: { labels: [], datasets: [{ label: T.arrivals, data: [], backgroundColor: "#3fb868", borderRadius: 4 }] },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: "#d0d3d9", font: { size: 16 } } } },
      scales: { x: { ticks: { color: "#a9aeb8", font: { size: 14 } }, grid: { color: "#222a33" } },
                y: { beginAtZero: true, ticks: { color: "#a9aeb8", precision: 0, font: { size: 14 } },
                     grid: { color: "#222a33" } } }
    }
  });

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return params[key]; });
  }

  function render(data) {
    var main = data.counts[0] || { checked_in: 0, expected: 0 };
    $("wall-in").textContent = main.checked_in;
    $("wall-expected").textContent = main.expected;
    $("wall-rate").textContent = main.expected
      ? fmt(T.rate, { pct: Math.round(100 * main.checked_in / main.expected) }) : "";
    chart.data.labels = data.buckets.map(function (b) { return b.label; });
    chart.data.datasets[0].data = data.buckets.map(function (b) { return b.count; });
    chart.update();
    var points = $("wall-points");
    points.textContent = "";
    data.counts.slice(1).forEach(function (c) {
      var li = document.createElement("li"), name = document.createElement("span"), n = document.createElement("b");
      name.textContent = c.name;
      n.textContent = c.checked_in + " / " + c.expected;
      li.appendChild(name);
      li.appendChild(n);
      points.appendChild(li);
    });
    var recent = $("wall-recent");
    recent.textContent = "";
    data.recent.forEach(function (r) {
      var li = document.createElement("li"), name = document.createElement("span"), t = document.createElement("span");
      name.textContent = r.name || "•";
      t.className = "t";
      t.textContent = r.at;
      li.appendChild(name);
      li.appendChild(t);
      recent.appendChild(li);
    });
    // the venue's clock, whatever time zone the projecting laptop is set to
    $("wall-updated").textContent = fmt(T.updated, { time: new Date().toLocaleTimeString(document.documentElement.lang,
      { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }) });
  }

  function refresh() {
    fetch(cfg.url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function () { $("wall-updated").textContent = T.stale; })
      .finally(function () { setTimeout(refresh, REFRESH_MS); });
  }

  render(cfg.data);
  setTimeout(refresh, REFRESH_MS);
})();
