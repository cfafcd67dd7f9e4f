/* A checkpoint's venue code on a screen (a lesson's projected code too): fetched anew when it
   rotates, with the count of arrivals and a notice when a scan now would be refused. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("projector-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var rotate = cfg.rotate || 30;
  var left = cfg.left;

  function refresh() {
    fetch(cfg.url, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var box = $("projector-qr");
        if (box.dataset.code !== data.code) {
          box.innerHTML = data.svg;  // server-made SVG of our own URL
          box.dataset.code = data.code;
        }
        $("projector-arrived").textContent = data.arrived;
        $("projector-expected").textContent = data.expected;
        var notice = $("projector-notice");  // the window opens or closes while the code is shown
        notice.textContent = data.notice || "";
        notice.hidden = !data.notice;
        left = data.seconds_left;
      })
      .catch(function () { /* keep showing the last code; it stays valid for a minute */ });
  }

  setInterval(function () {
    left -= 1;
    if (left <= 0) { refresh(); left = rotate; }
    $("projector-left").textContent = Math.max(left, 0);
  }, 1000);
  setInterval(refresh, 5000);  // arrivals, and a clock drift check
})();
