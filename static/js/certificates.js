// Certificates console: progress of a background print job, and the live PDF preview of a template.
(function () {
  "use strict";

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  // -- print job: poll the JSON status until the file is ready --------------------------
  var job = document.getElementById("print-job");
  if (job) {
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-text");
    var link = document.getElementById("job-download");
    var poll = function () {
      fetch(job.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.percent;
          if (s.status === "done") {
            text.textContent = fill(job.dataset.labelDone, s);
            link.hidden = false;
            return;
          }
          if (s.status === "failed") {
            text.textContent = job.dataset.labelFailed + " " + (s.error || "");
            var retry = document.getElementById("job-retry");
            if (retry) { retry.hidden = false; }
            return;
          }
          text.textContent = fill(s.status === "queued" ? job.dataset.labelQueued : job.dataset.labelRunning, s);
          setTimeout(poll, 700);
        })
        .catch(function () { setTimeout(poll, 3000); });  // a network hiccup: keep trying
    };
    poll();
  }

  // -- template editor: re-render the PDF preview a moment after typing stops -----------
  var form = document.getElementById("template-form");
  if (form) {
    var frame = document.getElementById("preview-frame");
    var error = document.getElementById("preview-error");
    var timer = null, current = null;
    var refresh = function () {
      var data = new FormData(form);
      data.delete("seal");
      data.delete("signature");
      fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) {
          if (r.ok) { return r.blob(); }
          return r.json().then(function (body) { throw new Error(body.message); });
        })
        .then(function (blob) {
          if (current) { URL.revokeObjectURL(current); }
          current = URL.createObjectURL(blob);
          frame.src = current;
          error.hidden = true;
        })
        .catch(function (e) { error.textContent = e.message; error.hidden = false; });
    };
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 800);
    });
    document.getElementById("preview-button").addEventListener("click", refresh);
    refresh();
  }
})();
