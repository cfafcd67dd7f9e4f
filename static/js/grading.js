/* The grading grid: founders × assessments. Type a score; Enter, Tab and the arrow keys move
   between cells, and each cell is saved (POST JSON with the CSRF header) when it is left. Rubric
   cells open a small level picker. The weighted total of the row follows as you type and is
   confirmed by the server after each save. */
(function () {
  "use strict";
  var cfgEl = document.getElementById("grading-config");
  var grid = document.getElementById("grade-grid");
  if (!cfgEl || !grid) return;
  var cfg = JSON.parse(cfgEl.textContent), T = cfg.text;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var cells = Array.prototype.slice.call(grid.querySelectorAll(".cell"));
  var at = {}, nRows = 0, nCols = 0;
  cells.forEach(function (cell) {
    var r = +cell.dataset.row, c = +cell.dataset.col;
    at[r + ":" + c] = cell;
    nRows = Math.max(nRows, r + 1);
    nCols = Math.max(nCols, c + 1);
  });
  nCols = Math.max(nCols, grid.querySelectorAll("thead th[data-col]").length);
  var picker = document.getElementById("rubric-picker");

  function fmt(x) {
    return x === null || x === undefined || x === "" ? "" : String(Math.round(Number(x) * 100) / 100);
  }

  function parseScore(text, max) {
    text = String(text).trim().replace("，", ".").replace(",", ".");
    if (text === "") return { empty: true };
    if (!/^\d+(\.\d+)?$/.test(text)) return { bad: true };
    var n = Number(text);
    return n >= 0 && n <= max ? { value: n } : { bad: true };
  }

  function td(cell) { return cell.closest("td"); }
  function tr(cell) { return cell.closest("tr"); }

  function setState(cell, state, message) {
    var box = td(cell), msg = box.querySelector(".cell-msg");
    box.classList.remove("is-saving", "is-saved", "is-error");
    if (state) box.classList.add("is-" + state);
    box.dataset.state = state || "";
    msg.textContent = message || "";
  }

  /* The row's total from what the cells hold now: valid typed values, else the saved scores. */
  function liveTotal(row) {
    var sum = 0, graded = 0, of = 0;
    row.querySelectorAll("td.cell-td").forEach(function (box) {
      var max = Number(box.dataset.max), weight = Number(box.dataset.weight), value = box.dataset.score;
      var input = box.querySelector("input.cell");
      of += 1;
      if (input) {
        var typed = parseScore(input.value, max);
        if (typed.empty) value = "";
        else if (!typed.bad) value = typed.value;
      }
      if (value !== "" && value !== undefined) {
        sum += weight * Number(value) / max;
        graded += 1;
      }
    });
    /* Half up on the decimal value, as the server rounds (app/numbers.py): sum × 100 of 88.665 is
       8866.499999… in binary, so it is first cut to six decimals, then rounded. */
    showTotal(row, { score: Math.round(Number((sum * 100).toFixed(6))) / 100, graded: graded, of: of });
  }

  function showTotal(row, total) {
    row.querySelector(".total-score").textContent = fmt(total.score) || "0";
    row.querySelector(".total-of").textContent = total.graded + "/" + total.of;
  }

  function post(payload) {
    return fetch(cfg.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
  }

  function errorText(body) {
    var fields = body.fields || {};
    return fields.score || fields.levels || fields.enrolment || body.message || T.error;
  }

  function payloadFor(cell, extra) {
    var data = { enrolment: Number(tr(cell).dataset.enrolment), assessment: Number(td(cell).dataset.assessment) };
    for (var key in extra) data[key] = extra[key];
    return data;
  }

  function afterSave(cell, result) {
    var row = tr(cell);
    if (!result.ok) {
      setState(cell, "error", errorText(result.body));
      return false;
    }
    td(cell).dataset.score = result.body.score === null ? "" : result.body.score;
    setState(cell, "saved", T.saved);
    showTotal(row, result.body.total);
    return true;
  }

  /* -- score cells -------------------------------------------------------------------------- */
  function save(input) {
    if (cfg.locked) return;
    var value = input.value.trim();
    if (value === input.dataset.saved || value === input.dataset.sending) return;
    input.dataset.sending = value;
    setState(input, "saving", T.saving);
    post(payloadFor(input, { score: value })).then(function (result) {
      delete input.dataset.sending;
      if (afterSave(input, result)) {
        var shown = fmt(result.body.score);
        input.dataset.saved = shown;
        if (input.value.trim() === value) input.value = shown;
      }
    }, function () {
      delete input.dataset.sending;
      setState(input, "error", T.offline);
    });
  }

  function focusCell(cell) {
    if (!cell) return null;
    cell.focus();
    return cell;
  }

  function move(from, dr, dc) {
    var r = +from.dataset.row, c = +from.dataset.col;
    for (;;) {  // skip the columns without a cell (computed from attendance)
      r += dr; c += dc;
      if (r < 0 || r >= nRows || c < 0 || c >= nCols) return null;
      if (at[r + ":" + c]) return focusCell(at[r + ":" + c]);
    }
  }

  function moveLinear(from, step) {
    return focusCell(cells[cells.indexOf(from) + step]);
  }

  function atStart(input) { return input.selectionStart === 0 && input.selectionEnd === 0; }
  function atEnd(input) { return input.selectionStart === input.value.length; }
  function allSelected(input) { return input.selectionStart === 0 && input.selectionEnd === input.value.length; }

  function onKey(event) {
    var cell = event.target, isInput = cell.tagName === "INPUT", moved = null;
    switch (event.key) {
      case "Enter":
        if (!isInput) return;  // a rubric cell opens its picker (the button's click)
        save(cell);
        moved = event.shiftKey ? move(cell, -1, 0) : move(cell, 1, 0);
        event.preventDefault();
        if (!moved) cell.select();
        return;
      case "ArrowDown": moved = move(cell, 1, 0); break;
      case "ArrowUp": moved = move(cell, -1, 0); break;
      case "ArrowLeft":
        if (isInput && !(atStart(cell) || allSelected(cell))) return;
        moved = move(cell, 0, -1); break;
      case "ArrowRight":
        if (isInput && !(atEnd(cell) || allSelected(cell))) return;
        moved = move(cell, 0, 1); break;
      case "Tab": moved = moveLinear(cell, event.shiftKey ? -1 : 1); break;
      case "Escape":
        if (isInput) {
          cell.value = cell.dataset.saved || "";
          setState(cell, "", "");
          liveTotal(tr(cell));
          cell.select();
        }
        return;
      default: return;
    }
    if (moved) event.preventDefault();
  }

  cells.forEach(function (cell) {
    cell.addEventListener("keydown", onKey);
    if (cell.tagName === "INPUT") {
      cell.addEventListener("focus", function () { cell.select(); });
      cell.addEventListener("input", function () {
        var typed = parseScore(cell.value, Number(td(cell).dataset.max));
        if (typed.bad) setState(cell, "error", T.range.replace("%(max)s", fmt(td(cell).dataset.max)));
        else setState(cell, "", "");
        liveTotal(tr(cell));
      });
      cell.addEventListener("change", function () { save(cell); });
      cell.addEventListener("blur", function () { save(cell); });
    } else {
      cell.addEventListener("click", function () { openPicker(cell); });
    }
  });

  /* -- rubric cells: a small level picker ----------------------------------------------------- */
  var pickerFor = null;

  function closePicker(refocus) {
    if (!pickerFor) return;
    var cell = pickerFor;
    pickerFor = null;
    picker.hidden = true;
    picker.textContent = "";
    if (refocus) cell.focus();
  }

  function openPicker(cell) {
    if (cfg.locked) return;
    closePicker(false);
    var criteria = cfg.rubrics[td(cell).dataset.assessment] || [];
    var chosen = JSON.parse(cell.dataset.levels || "{}");
    pickerFor = cell;
    picker.textContent = "";
    var title = document.createElement("p");
    title.className = "picker-title";
    title.textContent = cell.getAttribute("aria-label");
    picker.appendChild(title);
    criteria.forEach(function (criterion) {
      var label = document.createElement("label"), select = document.createElement("select");
      label.className = "picker-row";
      label.appendChild(document.createTextNode(criterion.name));
      select.dataset.criterion = criterion.id;
      var none = document.createElement("option");
      none.value = "";
      none.textContent = T.none;
      select.appendChild(none);
      criterion.levels.forEach(function (level) {
        var option = document.createElement("option");
        option.value = level.id;
        option.textContent = level.label + " (" + fmt(level.points) + ")";
        if (String(chosen[criterion.id]) === String(level.id)) option.selected = true;
        select.appendChild(option);
      });
      label.appendChild(select);
      picker.appendChild(label);
    });
    var actions = document.createElement("div"), ok = document.createElement("button"),
      cancel = document.createElement("button");
    actions.className = "actions";
    ok.type = "button"; ok.className = "btn btn-primary"; ok.textContent = T.save;
    cancel.type = "button"; cancel.className = "btn"; cancel.textContent = T.cancel;
    ok.addEventListener("click", function () { savePicker(); });
    cancel.addEventListener("click", function () { closePicker(true); });
    actions.appendChild(ok);
    actions.appendChild(cancel);
    picker.appendChild(actions);
    var box = cell.getBoundingClientRect(), wrap = grid.closest(".grade-wrap").getBoundingClientRect();
    picker.style.top = (window.scrollY + box.bottom + 4) + "px";
    picker.style.left = Math.max(8, Math.min(window.scrollX + box.left,
      window.scrollX + wrap.right - 300)) + "px";
    picker.hidden = false;
    var first = picker.querySelector("select");
    if (first) first.focus();
  }

  function savePicker() {
    var cell = pickerFor, levels = {};
    picker.querySelectorAll("select").forEach(function (select) {
      if (select.value) levels[select.dataset.criterion] = Number(select.value);
    });
    closePicker(true);
    setState(cell, "saving", T.saving);
    post(payloadFor(cell, { levels: levels })).then(function (result) {
      if (afterSave(cell, result)) {
        cell.dataset.levels = JSON.stringify(result.body.levels || {});
        cell.textContent = result.body.score === null ? "—" : fmt(result.body.score);
      }
    }, function () { setState(cell, "error", T.offline); });
  }

  if (picker) {
    picker.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closePicker(true); }
      else if (event.key === "Enter" && event.target.tagName === "SELECT") { event.preventDefault(); savePicker(); }
    });
    document.addEventListener("mousedown", function (event) {
      if (pickerFor && !picker.contains(event.target) && event.target !== pickerFor) closePicker(false);
    });
  }
})();
