/* The venue scanner. Reads tickets and personal codes (我的码) from the camera (jsQR), from a
   handheld scanner typing into the page, or from a search by name; asks the server for the verdict,
   and when the network is gone decides from the cached roster and the event's and the code
   authority's public keys (Ed25519), queues the scan in
   IndexedDB and uploads it when the network returns. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("sc-config").textContent);
  var T = cfg.text, M = cfg.messages;
  var TONE = {
    ok: "ok", already_checked_in: "warn", outside_window: "warn", not_checked_in: "warn",
    not_confirmed: "bad", not_registered: "bad", invalid: "bad", revoked: "bad", expired: "bad", error: "bad"
  };
  var SAME_CODE_PAUSE_MS = 2500;   // the same ticket held in front of the camera counts once
  var ONLINE_TIMEOUT_MS = 3000;    // past this a door cannot wait: decide offline instead
  var SYNC_EVERY_MS = 5000, STATS_EVERY_MS = 15000, ROSTER_EVERY_MS = 5 * 60000, BATCH = 200;

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    secret: null, setup: null, checkpoint: null, roster: null, byId: new Map(), inside: new Map(),
    admitted: new Set(), enteredAt: new Map(), direction: "in", online: true, blocked: false, busy: false, syncing: false,
    lastText: "", lastAt: 0, expected: 0, checkedIn: 0, device: "", audio: null, resetTimer: null
  };

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return params[key]; });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // -- pairing ---------------------------------------------------------------------------
  function readSecret() {
    var match = location.hash.match(/[#&]k=([A-Za-z0-9_-]+)/);
    if (match) {
      localStorage.setItem("scanner.secret", match[1]);
      history.replaceState(null, "", location.pathname + location.search);  // off the address bar
      return match[1];
    }
    return localStorage.getItem("scanner.secret");
  }

  function deviceName(label) {
    var id = localStorage.getItem("scanner.device-id");
    if (!id) {
      id = uuid().slice(0, 6);
      localStorage.setItem("scanner.device-id", id);
    }
    return (label + " · " + id).slice(0, 80);
  }

  async function api(path, options) {
    options = options || {};
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, options.timeout || ONLINE_TIMEOUT_MS);
    try {
      var response = await fetch(cfg.api + path, {
        method: options.method || "GET", cache: "no-store", signal: controller.signal,
        headers: Object.assign({ "Authorization": "Bearer " + state.secret, "Content-Type": "application/json",
                                 "Accept-Language": document.documentElement.lang }, options.headers || {}),
        body: options.body ? JSON.stringify(options.body) : undefined
      });
      var data = null;
      try { data = await response.json(); } catch (e) { /* not JSON: a proxy's error page, or a 304 */ }
      return { status: response.status, data: data, etag: response.headers.get("ETag") };
    } finally {
      clearTimeout(timer);
    }
  }

  function block(title, text) {
    state.blocked = true;
    $("sc-blocked-title").textContent = title;
    $("sc-blocked-text").textContent = text || "";
    $("sc-blocked").hidden = false;
    $("sc-main").hidden = true;
    stopCamera();
  }

  async function loadSetup() {
    var cacheKey = "scanner.setup." + state.secret.slice(-8);
    try {
      var r = await api("/scanner");
      if (r.status === 401) { block(T.linkExpired, T.linkExpiredText); return null; }
      if (r.status !== 200) throw new Error("setup " + r.status);
      localStorage.setItem(cacheKey, JSON.stringify(r.data));
      return r.data;
    } catch (e) {
      setOnline(false);
      var cached = localStorage.getItem(cacheKey);
      return cached ? JSON.parse(cached) : null;
    }
  }

  // -- roster and local decisions -----------------------------------------------------------
  async function loadRoster(checkpointId) {
    var roster = null;
    if (state.online) {
      try {
        // The cached copy's ETag: while nothing changed the server answers 304 and no 400 KB body.
        var cached = await ScannerStore.roster(checkpointId);
        var conditional = cached && cached.etag ? { "If-None-Match": cached.etag } : {};
        var r = await api("/checkpoints/" + checkpointId + "/roster", { timeout: 20000, headers: conditional });
        if (r.status === 401) { block(T.linkExpired, T.linkExpiredText); return; }
        if (r.status === 200) {
          roster = r.data;
          roster.etag = r.etag;
          roster.fetched_at = Date.now();
          await ScannerStore.saveRoster(roster);
        }
      } catch (e) { setOnline(false); }
    }
    if (!roster) roster = await ScannerStore.roster(checkpointId);  // a 304, or offline
    if (!roster) return;
    state.roster = roster;
    state.byId = new Map(roster.entries.map(function (e) { return [e[0], e]; }));
    state.admitted = new Set(roster.checked_in);
    state.inside = new Map(roster.checked_in.map(function (id) { return [id, true]; }));
    state.publicKey = b64url(roster.public_key);
    // 我的码: entries by user id, the code authority's keys, the phones revoked since
    var userField = (roster.fields || []).indexOf("user");
    state.byUser = new Map(userField < 0 ? [] : roster.entries.map(function (e) { return [e[userField], e]; }));
    state.authorityKeys = new Map((roster.authority_keys || []).map(function (k) { return [k.id, b64url(k.public_key)]; }));
    state.revokedPhones = new Set(roster.revoked_phone_keys || []);
    var queued = await ScannerStore.queued();  // this device's scans not yet on the server
    queued.filter(function (q) { return q.checkpoint === checkpointId; })
      .sort(byTime).forEach(function (q) { applyResult(q, q.local_result); });
    if (!state.online) showCounts(roster.entries.length, state.admitted.size);
  }

  function b64url(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /* Ticket layout (see app/tickets/tokens.py): version u8 | event u32 | registration u32 |
     generation u16 | Ed25519 signature over those 11 bytes. */
  function parseTicket(token) {
    var raw;
    try { raw = b64url(token); } catch (e) { return null; }
    if (raw.length !== 75 || raw[0] !== 1) return null;
    var view = new DataView(raw.buffer);
    return { event: view.getUint32(1), registration: view.getUint32(5), generation: view.getUint16(9),
             header: raw.slice(0, 11), signature: raw.slice(11) };
  }

  /* Personal code 我的码 (see app/tickets/personal_codes.py), 181 bytes: a credential — version u8 (2) |
     authority key u32 | user u32 | phone key u32 | expires u32 | phone public key (32) | authority
     signature over those 49 bytes — then time u32 | the phone's signature over credential‖time. */
  function parsePersonalCode(token) {
    var raw;
    try { raw = b64url(token); } catch (e) { return null; }
    if (raw.length !== 181 || raw[0] !== 2) return null;
    var view = new DataView(raw.buffer);
    return { authority: view.getUint32(1), user: view.getUint32(5), phoneKey: view.getUint32(9),
             expires: view.getUint32(13), phonePublicKey: raw.slice(17, 49), claims: raw.slice(0, 49),
             authoritySignature: raw.slice(49, 113), signed: raw.slice(0, 117), time: view.getUint32(113),
             signature: raw.slice(117) };
  }

  // The steps of app/tickets/phone_keys.check, with the roster for the database: the entry, or a refusal.
  function decidePersonalCode(code, at) {
    var roster = state.roster, key = state.authorityKeys.get(code.authority), genuine = false;
    try {
      genuine = !!key && NobleEd25519.verify(code.authoritySignature, code.claims, key) &&
        NobleEd25519.verify(code.signature, code.signed, code.phonePublicKey);
    } catch (e) { /* bad point */ }
    if (!genuine) return { result: "invalid" };
    var entry = state.byUser.get(code.user);
    if (state.revokedPhones.has(code.phoneKey)) return { result: "revoked", entry: entry };
    var now = Math.floor(at / 1000);
    if (code.expires < now || code.time < now - (roster.code_max_age || 60) ||
        code.time > now + (roster.code_future_skew || 30)) return { result: "expired", entry: entry };
    if (!entry) return { result: "not_registered" };
    return { entry: entry };
  }

  function registrationOf(item) {
    if (item.registration != null) return item.registration;
    var code = parsePersonalCode(item.token || "");
    if (code) {
      var entry = state.byUser && state.byUser.get(code.user);
      return entry ? entry[0] : null;
    }
    var ticket = parseTicket(item.token || "");
    return ticket ? ticket.registration : null;
  }

  function decideLocally(item) {
    var roster = state.roster, id = item.registration, entry;
    if (!roster) return { result: "error" };
    var code = id == null ? parsePersonalCode(item.token || "") : null;
    if (code) {
      var found = decidePersonalCode(code, Date.parse(item.scanned_at));
      if (!found.entry || found.result) return found;
      id = found.entry[0];
    } else if (id == null) {
      var ticket = parseTicket(item.token);
      var genuine = false;
      try { genuine = ticket && NobleEd25519.verify(ticket.signature, ticket.header, state.publicKey); } catch (e) { /* bad point */ }
      if (!genuine) return { result: "invalid" };
      if (ticket.event !== roster.event) return { result: "not_registered" };
      id = ticket.registration;
      entry = state.byId.get(id);
      if (entry && entry[1] !== ticket.generation) return { result: "revoked", entry: entry };
    }
    entry = state.byId.get(id);
    if (!entry) return { result: "not_registered" };
    var at = Date.parse(item.scanned_at);
    if (at < Date.parse(roster.opens_at) || at > Date.parse(roster.closes_at)) {
      return { result: "outside_window", entry: entry };
    }
    var inside = state.inside.get(id) === true;
    var result;
    if (item.direction === "out") result = inside ? "ok" : "not_checked_in";
    else if (inside || (state.admitted.has(id) && !roster.allow_reentry)) result = "already_checked_in";
    else result = "ok";
    return { result: result, entry: entry, enteredAt: item.direction === "out" ? state.enteredAt.get(id) : null };
  }

  function applyResult(item, result) {
    if (result !== "ok") return;
    var id = registrationOf(item);
    if (id == null) return;
    if (item.direction === "out") { state.inside.set(id, false); return; }
    state.inside.set(id, true);
    state.enteredAt.set(id, item.scanned_at);
    if (!state.admitted.has(id)) {
      state.admitted.add(id);
      showCounts(state.expected, state.checkedIn + 1);
    }
  }

  function byTime(a, b) { return a.scanned_at < b.scanned_at ? -1 : a.scanned_at > b.scanned_at ? 1 : 0; }

  // -- deciding a scan ------------------------------------------------------------------------
  async function decide(item) {
    item.nonce = uuid();
    item.checkpoint = state.checkpoint.id;
    item.direction = state.direction;
    item.scanned_at = new Date().toISOString();
    item.device = state.device;
    var verdict = null;
    if (state.online) {
      try {
        var r = await api("/checkins", { method: "POST", body: item });
        if (r.status === 200) verdict = r.data;
        else if (r.status === 401) { block(T.linkExpired, T.linkExpiredText); return; }
        else if (r.status === 403) verdict = { result: "error", message: T.notAllowed };
        else if (r.status === 422) verdict = { result: "invalid", message: T.badRequest };
        else throw new Error("HTTP " + r.status);
      } catch (e) {
        setOnline(false);
      }
    }
    if (!verdict) {  // offline: decide here, keep the scan, upload it later under the same nonce
      var local = decideLocally(item);
      item.local_result = local.result;
      await ScannerStore.enqueue(item);
      updateQueue();
      verdict = { result: local.result, message: M[local.result] || T.badRequest, local: true,
                  direction: item.direction, entered_at: local.enteredAt || null,
                  attendee: local.entry ? { name: local.entry[2], last4: local.entry[3] } : null };
      if (local.result === "ok" && item.direction === "out") verdict.message = null;  // worded by show()
    }
    applyResult(item, verdict.result);
    show(verdict);
  }

  function onCode(text) {
    text = (text || "").trim();
    var now = Date.now();
    if (!text || state.blocked || !state.checkpoint) return;
    if (text === state.lastText && now - state.lastAt < SAME_CODE_PAUSE_MS) {
      state.lastAt = now;  // still in view: it counts again only after it has been away a while
      return;
    }
    if (state.busy) return;
    state.lastText = text;
    state.lastAt = now;
    state.busy = true;
    decide({ token: text }).finally(function () { state.busy = false; });
  }

  // -- upload of queued scans ---------------------------------------------------------------
  async function sync() {
    if (state.syncing || state.blocked) return;
    state.syncing = true;
    try {
      var items = (await ScannerStore.queued()).sort(byTime);
      if (!items.length) {
        if (!state.online) await probe();
        return;
      }
      var conflicts = 0;
      for (var i = 0; i < items.length; i += BATCH) {
        var chunk = items.slice(i, i + BATCH).map(function (q) {
          var copy = Object.assign({}, q);
          delete copy.local_result;
          return copy;
        });
        var r = await api("/checkins/batch", { method: "POST", body: { device: state.device, scans: chunk },
                                                timeout: 20000 });
        if (r.status === 401) { block(T.linkExpired, T.linkExpiredText); return; }
        if (r.status !== 200) throw new Error("batch " + r.status);
        await ScannerStore.remove(chunk.map(function (q) { return q.nonce; }));
        conflicts += r.data.conflicts.length;
      }
      setOnline(true);
      toast(conflicts ? T.uploaded + " " + fmt(T.conflicts, { n: conflicts }) : T.uploaded);
      refreshStats();
    } catch (e) {
      setOnline(false);
    } finally {
      state.syncing = false;
      updateQueue();
    }
  }

  async function probe() {
    try {
      var r = await api("/checkpoints/" + state.checkpoint.id + "/stats");
      if (r.status === 200) {
        setOnline(true);
        showCounts(r.data.expected, r.data.checked_in);
      }
    } catch (e) { /* still offline */ }
  }

  async function refreshStats() {
    if (!state.online || !state.checkpoint) return;
    try {
      var r = await api("/checkpoints/" + state.checkpoint.id + "/stats");
      if (r.status === 200) showCounts(r.data.expected, r.data.checked_in);
      else if (r.status === 401) block(T.linkExpired, T.linkExpiredText);
    } catch (e) { setOnline(false); }
  }

  // -- what the volunteer sees and hears ----------------------------------------------------------
  function setOnline(online) {
    var was = state.online;
    state.online = online;
    var badge = $("sc-net");
    badge.textContent = online ? T.online : T.offline;
    badge.className = "sc-badge " + (online ? "sc-online" : "sc-offline");
    if (online && !was) sync();
  }

  async function updateQueue() {
    var n = await ScannerStore.count();
    var el = $("sc-queue");
    el.hidden = n === 0;
    el.dataset.count = n;
    el.textContent = fmt(T.queued, { n: n });
  }

  function showCounts(expected, checkedIn) {
    state.expected = expected;
    state.checkedIn = checkedIn;
    $("sc-count-in").textContent = checkedIn;
    $("sc-count-expected").textContent = expected;
  }

  function show(verdict) {
    var tone = TONE[verdict.result] || "bad";
    var box = $("sc-verdict");
    box.className = "sc-verdict sc-" + tone;
    box.dataset.result = verdict.result;
    box.dataset.local = verdict.local ? "1" : "";
    var message = verdict.message;
    if (!message && verdict.result === "ok" && verdict.direction === "out") {
      // an exit is never worded as a welcome: the door must tell a checkout from a check-in
      message = verdict.entered_at ? fmt(T.checkedOutAt, { time: shanghaiTime(verdict.entered_at) }) : T.checkedOut;
    }
    box.dataset.direction = verdict.direction || state.direction;
    $("sc-verdict-message").textContent = message || M[verdict.result] || "";
    var who = verdict.attendee, name = "";
    if (who) name = who.name + " · " + (who.mobile_masked || fmt(T.mobileEnd, { digits: who.last4 || "" }));
    $("sc-verdict-name").textContent = name;
    var extra = [];
    if (verdict.first_checked_in_at) {
      var time = shanghaiTime(verdict.first_checked_in_at);
      extra.push(fmt(T.firstIn, { time: time, device: verdict.first_place || verdict.first_device || "" }));
    }
    if (verdict.local) extra.push(T.offlineVerdict);
    $("sc-verdict-extra").textContent = extra.join(" · ");
    signal(tone);
    clearTimeout(state.resetTimer);
    state.resetTimer = setTimeout(function () {
      box.className = "sc-verdict sc-idle";
    }, 6000);
  }

  function shanghaiTime(iso) {
    return new Date(iso).toLocaleTimeString(document.documentElement.lang,
      { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Shanghai" });
  }

  function signal(tone) {
    if (navigator.vibrate) navigator.vibrate({ ok: 80, warn: [80, 60, 80], bad: 400 }[tone]);
    var audio = state.audio;
    if (!audio) return;
    var notes = { ok: [[1046, 0.12]], warn: [[660, 0.1], [660, 0.1]], bad: [[196, 0.45]] }[tone];
    var t = audio.currentTime;
    notes.forEach(function (note) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "square";
      osc.frequency.value = note[0];
      gain.gain.value = 0.12;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(t);
      osc.stop(t + note[1]);
      t += note[1] + 0.06;
    });
  }

  function unlockAudio() {  // browsers allow sound only after a tap
    if (state.audio) return;
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) state.audio = new Ctx();
  }

  function toast(text) {
    var el = document.createElement("div");
    el.className = "sc-toast";
    el.setAttribute("role", "status");
    el.textContent = text;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 5000);
  }

  // -- camera -------------------------------------------------------------------------------
  var stream = null, scanTimer = null;

  async function startCamera() {
    unlockAudio();
    var video = $("sc-video"), error = $("sc-camera-error");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } }
      });
      video.srcObject = stream;
      await video.play();
      $("sc-camera-start").hidden = true;
      error.hidden = true;
      scanFrames(video);
    } catch (e) {
      error.textContent = T.noCamera;
      error.hidden = false;
      $("sc-camera-start").hidden = false;
    }
  }

  function stopCamera() {
    clearTimeout(scanTimer);
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }

  function scanFrames(video) {
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    (function tick() {
      if (video.readyState >= 2 && !state.busy && video.videoWidth) {
        var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
        var w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
        canvas.width = w;
        canvas.height = h;
        ctx.drawImage(video, 0, 0, w, h);
        var code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
        if (code && code.data) onCode(code.data);
      }
      scanTimer = setTimeout(tick, 120);
    })();
  }

  // -- handheld scanners type the code and press Enter ------------------------------------------
  function listenForWedge() {
    var buffer = "", last = 0;
    document.addEventListener("keydown", function (e) {
      var target = e.target;
      if (target && (target.id === "sc-search" || target.tagName === "SELECT")) return;
      var now = Date.now();
      if (now - last > 300) buffer = "";  // people type slower than scanners: start afresh
      last = now;
      if (e.key === "Enter") {
        if (buffer.length >= 20) { unlockAudio(); onCode(buffer); e.preventDefault(); }
        buffer = "";
      } else if (e.key.length === 1) {
        buffer += e.key;
      }
    });
  }

  // -- search by name or mobile ending ----------------------------------------------------------
  function renderResults() {
    var q = $("sc-search").value.trim(), list = $("sc-results");
    list.textContent = "";
    if (!q || !state.roster) return;
    var digits = /^\d{4}$/.test(q), matches = [];
    for (var i = 0; i < state.roster.entries.length && matches.length < 20; i++) {
      var e = state.roster.entries[i];
      if (digits ? e[3] === q : e[2].indexOf(q) !== -1) matches.push(e);
    }
    if (!matches.length) {
      var none = document.createElement("li");
      none.className = "sc-none";
      none.textContent = T.noMatch;
      list.appendChild(none);
    }
    matches.forEach(function (entry) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.textContent = entry[2] + " · " + fmt(T.mobileEnd, { digits: entry[3] }) +
        (state.inside.get(entry[0]) ? " · " + T.checkedIn : "");
      button.addEventListener("click", function () { askToConfirm(entry); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function askToConfirm(entry) {
    unlockAudio();
    var template = state.direction === "in" ? T.confirm : T.confirmOut;
    $("sc-confirm-text").textContent = fmt(template, { name: entry[2], digits: entry[3] });
    $("sc-confirm-yes").textContent = state.direction === "in" ? T.confirmYes : T.confirmYesOut;
    $("sc-confirm").hidden = false;
    $("sc-confirm-yes").onclick = function () {
      $("sc-confirm").hidden = true;
      $("sc-search").value = "";
      renderResults();
      decide({ registration: entry[0] });
    };
    $("sc-confirm-no").onclick = function () { $("sc-confirm").hidden = true; };
  }

  // -- start --------------------------------------------------------------------------------
  async function selectCheckpoint(id) {
    state.checkpoint = state.setup.checkpoints.find(function (c) { return c.id === id; }) ||
      state.setup.checkpoints[0];
    localStorage.setItem("scanner.checkpoint", String(state.checkpoint.id));
    $("sc-checkpoint").value = String(state.checkpoint.id);
    await loadRoster(state.checkpoint.id);
    await refreshStats();
  }

  function bindControls() {
    $("sc-checkpoint").addEventListener("change", function (e) { selectCheckpoint(Number(e.target.value)); });
    document.querySelectorAll(".sc-mode button").forEach(function (button) {
      button.addEventListener("click", function () {
        state.direction = button.dataset.direction;
        document.querySelectorAll(".sc-mode button").forEach(function (b) {
          var on = b === button;
          b.classList.toggle("sc-mode-on", on);
          b.setAttribute("aria-pressed", on ? "true" : "false");
        });
        document.body.classList.toggle("sc-exit-mode", state.direction === "out");
      });
    });
    $("sc-camera-start").addEventListener("click", startCamera);
    $("sc-search").addEventListener("input", renderResults);
    document.addEventListener("click", unlockAudio, { once: true });
    window.addEventListener("online", sync);
    window.addEventListener("offline", function () { setOnline(false); });
    listenForWedge();
  }

  async function boot() {
    state.secret = readSecret();
    if (!state.secret) { block($("sc-blocked-title").textContent, $("sc-blocked-text").textContent); return; }
    if ("serviceWorker" in navigator && cfg.serviceWorker) {
      navigator.serviceWorker.register(cfg.serviceWorker).catch(function () { /* plain http: no offline reload */ });
    }
    var setup = await loadSetup();
    if (state.blocked) return;
    if (!setup) { block(T.offline, T.linkExpiredText); return; }
    if (!setup.checkpoints.length) { block(setup.event.title, T.noCheckpoints); return; }
    state.setup = setup;
    state.device = deviceName(setup.label);
    $("sc-event").textContent = setup.event.title;
    $("sc-label").textContent = setup.label;
    var select = $("sc-checkpoint");
    setup.checkpoints.forEach(function (c) {
      var option = document.createElement("option");
      option.value = String(c.id);
      option.textContent = c.name;
      select.appendChild(option);
    });
    select.hidden = setup.checkpoints.length < 2;
    $("sc-main").hidden = false;
    bindControls();
    await selectCheckpoint(Number(localStorage.getItem("scanner.checkpoint")));
    updateQueue();
    document.body.dataset.ready = "1";
    startCamera();
    setInterval(sync, SYNC_EVERY_MS);
    setInterval(refreshStats, STATS_EVERY_MS);
    setInterval(function () { if (state.online) loadRoster(state.checkpoint.id); }, ROSTER_EVERY_MS);
  }

  boot();
})();
