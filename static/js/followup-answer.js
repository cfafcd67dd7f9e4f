/* The follow-up survey: the employer field suggests organisations of the bureau's register as the
   person types (a typed name not in it is kept as typed), and is shown only for answers that have
   an employer. Works without this script: the server resolves a typed name or code itself. */
(function () {
  "use strict";
  var form = document.getElementById("followup-form");
  if (!form) { return; }
  var input = document.getElementById("organisation");
  var picked = document.getElementById("organisation_id");
  var list = document.getElementById("organisation-list");
  var employer = form.querySelector("[data-employer]");
  var named = ["employed_minhang", "own_company_minhang", "outside_minhang"];
  var found = {};
  var timer = null;

  function showEmployer() {
    var choice = form.querySelector("input[name=working]:checked");
    employer.hidden = !(choice && named.indexOf(choice.value) >= 0);
  }

  function suggest() {
    var q = input.value.trim();
    picked.value = found[input.value] || "";
    if (q.length < 2) { return; }
    fetch(form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        list.textContent = "";
        rows.forEach(function (row) {
          found[row.name] = String(row.id);
          var option = document.createElement("option");
          option.value = row.name;
          list.appendChild(option);
        });
        picked.value = found[input.value] || "";
      })
      .catch(function () { /* offline: the typed name is resolved by the server */ });
  }

  form.addEventListener("change", showEmployer);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  });
  showEmployer();
})();
