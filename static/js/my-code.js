/* 我的码: the personal code, drawn on the phone (design: app/tickets/personal_codes.py).

   The phone makes its own Ed25519 key pair (kept in this site's localStorage, per account), sends
   the public half and gets a credential signed by the platform, valid a day; it renews it when
   online and it is over an hour old. Every 30 seconds it signs credential‖time with its key and
   draws the QR: no network needed for that, so the page (cached by /me/code/sw.js) works offline.
   The server's clock, read with each credential, corrects the phone's. */
(function () {
  "use strict";
  var cfgEl = document.getElementById("pc-config");
  var img = document.getElementById("pc-qr");
  if (!cfgEl || !img) return;
  var cfg = JSON.parse(cfgEl.textContent), T = cfg.text;
  var status = document.getElementById("pc-status");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var STORE = "minhang.pcode." + cfg.user;
  var state = load(), period = null, online = navigator.onLine !== false;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: this page only */ }
  }

  function encode(bytes) {
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decode(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function now() { return Date.now() + (state.offset || 0); }  // the server's clock, as far as known

  function usable() { return !!(state.secret && state.credential && state.expires > now()); }

  async function renew() {
    if (!state.secret) {
      state = { secret: encode(NobleEd25519.randomSecretKey()) };
      save();
    }
    var publicKey = encode(NobleEd25519.getPublicKey(decode(state.secret)));
    var sent = Date.now();
    var response = await fetch(cfg.credential_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ public_key: publicKey })
    });
    var received = Date.now();
    var body = await response.json().catch(function () { return {}; });
    if (response.status === 409 && body.code === "revoked") {
      state = {};  // this key is dead: a reload makes a new one
      save();
      throw new Error("revoked");
    }
    if (!response.ok || !body.credential) throw new Error("refused");
    state.credential = body.credential;
    state.phone_key = body.phone_key;
    state.expires = Date.parse(body.expires_at);
    state.offset = Math.round(body.server_time * 1000 - (sent + received) / 2);
    state.issued = now();
    save();
  }

  function makeCode(at) {
    var credential = decode(state.credential);
    var message = new Uint8Array(credential.length + 4);
    message.set(credential);
    new DataView(message.buffer).setUint32(credential.length, at);
    var signature = NobleEd25519.sign(message, decode(state.secret));
    var code = new Uint8Array(message.length + signature.length);
    code.set(message);
    code.set(signature, message.length);
    return encode(code);
  }

  function draw() {
    if (!usable()) {
      img.hidden = true;
      return;
    }
    var at = Math.floor(now() / 1000);
    period = Math.floor(at / cfg.refresh_seconds);
    var text = makeCode(at);
    // Level M: 242 characters make a 61×61 QR, read at arm's length from a phone screen.
    var qr = qrcode(0, "M");
    qr.addData(text, "Byte");
    qr.make();
    img.src = qr.createDataURL(8, 4);
    img.setAttribute("data-code", text);
    img.setAttribute("data-time", String(at));
    img.hidden = false;
    status.textContent = online ? T.valid_until : T.offline;
  }

  function tick() {
    if (usable() && Math.floor(now() / 1000 / cfg.refresh_seconds) !== period) draw();
    if (!usable()) draw();
  }

  function markThisPhone() {
    if (!state.phone_key) return;
    var card = document.querySelector('[data-phone-key="' + state.phone_key + '"] [data-this-phone]');
    if (card) card.hidden = false;
  }

  async function refresh() {
    var due = !usable() || !state.issued || now() - state.issued > cfg.renew_after * 1000;
    if (!due) return;
    try {
      await renew();
      online = true;
    } catch (e) {
      online = false;
      if (e.message === "revoked") { status.textContent = T.revoked; img.hidden = true; return; }
      if (!usable()) status.textContent = e.message === "refused" ? T.failed : T.needs_network;
    }
  }

  async function start() {
    if (!usable() || navigator.onLine !== false) await refresh();
    markThisPhone();
    if (usable()) draw();
    else if (online) status.textContent = T.needs_network;  // (a refusal has said why already)
    setInterval(tick, 1000);
    setInterval(refresh, 5 * 60 * 1000);
    window.addEventListener("online", function () { online = true; refresh().then(draw); });
    window.addEventListener("offline", function () { online = false; if (usable()) status.textContent = T.offline; });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(cfg.worker, { scope: cfg.scope }).catch(function () { /* no offline reload */ });
    }
  }

  start();
})();
