/* The pitch final's results screen: polls its JSON and redraws the ranking; entries are shown by
   number until the organiser releases the results, then by project and company with their awards. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("screen-config").textContent), T = cfg.text;
  var REFRESH_MS = 3000;
  var $ = function (id) { return document.getElementById(id); };

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return params[key]; });
  }

  function cell(tr, text, small) {
    var td = document.createElement("td");
    td.textContent = text;
    if (small) {
      var s = document.createElement("small");
      s.textContent = " " + small;
      td.appendChild(s);
    }
    tr.appendChild(td);
  }

  function render(data) {
    $("screen-round").textContent = data.round || "";
    var state = $("screen-state");
    state.dataset.released = data.released ? "1" : "0";
    state.textContent = data.released ? T.released : T.live;
    var body = $("screen-rows");
    body.textContent = "";
    data.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.dataset.code = row.code;
      cell(tr, String(row.rank));
      if (row.project) { cell(tr, row.project, row.company); } else { cell(tr, fmt(T.entry, { code: row.code })); }
      cell(tr, row.total);
      cell(tr, (row.awards || []).join("、"));
      body.appendChild(tr);
    });
    $("screen-updated").textContent = fmt(T.updated, { time: new Date().toLocaleTimeString(document.documentElement.lang,
      { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }) });
  }

  function refresh() {
    fetch(cfg.url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function () { $("screen-updated").textContent = T.stale; })
      .finally(function () { setTimeout(refresh, REFRESH_MS); });
  }

  setTimeout(refresh, REFRESH_MS);
})();
