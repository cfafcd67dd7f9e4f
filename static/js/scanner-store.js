/* Durable storage for the scanner: queued scans and cached rosters live in IndexedDB, so a
   scan made offline survives a closed tab, a reload or a flat battery. */
(function () {
  "use strict";
  var DB_NAME = "minhang-scanner", VERSION = 1, dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "nonce" });
        if (!db.objectStoreNames.contains("rosters")) db.createObjectStore("rosters", { keyPath: "checkpoint" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }

  function run(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var req = fn(tx.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.ScannerStore = {
    enqueue: function (scan) { return run("queue", "readwrite", function (s) { return s.put(scan); }); },
    queued: function () { return run("queue", "readonly", function (s) { return s.getAll(); }); },
    count: function () { return run("queue", "readonly", function (s) { return s.count(); }); },
    remove: function (nonces) {
      return run("queue", "readwrite", function (s) { nonces.forEach(function (n) { s.delete(n); }); });
    },
    saveRoster: function (roster) { return run("rosters", "readwrite", function (s) { return s.put(roster); }); },
    roster: function (checkpoint) { return run("rosters", "readonly", function (s) { return s.get(checkpoint); }); }
  };
})();
