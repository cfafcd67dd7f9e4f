/* The online join page: a countdown until the link appears (then the page reloads to show it),
   and, while the stream is shown, a heartbeat every interval that the server turns into time online. */
(function () {
  "use strict";
  var countdown = document.getElementById("online-countdown");
  if (countdown) {
    var reveal = Date.parse(countdown.getAttribute("data-reveal"));
    var left = document.getElementById("online-countdown-left");
    var tick = function () {
      var ms = reveal - Date.now();
      if (ms <= 0) { window.location.reload(); return; }
      var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      left.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  var node = document.getElementById("online-config");
  if (!node) { return; }
  var config = JSON.parse(node.textContent);
  var status = document.getElementById("online-status");
  var beat = function () {
    fetch(config.heartbeat, {
      method: "POST", credentials: "omit", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json"}, body: "{}"
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (!answer.ok) { status.textContent = answer.body.message || config.messages.lost; return; }
      var minutes = String(Math.floor(answer.body.seconds / 60));
      status.setAttribute("data-seconds", String(answer.body.seconds));
      status.setAttribute("data-state", answer.body.attended ? "attended" : "counted");
      status.textContent = (answer.body.attended ? config.messages.attended : config.messages.counted)
        .replace("{m}", minutes);
    }).catch(function () {
      status.textContent = config.messages.lost;
    }).then(function () {
      window.setTimeout(beat, config.interval * 1000);
    });
  };
  window.setTimeout(beat, config.interval * 1000);
}());
