/* Lets a page that must work without network (the venue scanner under /scan/, 我的码 under
   /me/code) reload offline: the page and its scripts are served from the network when it answers,
   from the last copy otherwise. Only GETs are cached, never the API (rosters, scans, credentials
   are POSTs or /api/). One cache per scope, so the two pages keep their own copies. */
"use strict";
var CACHE = "minhang-offline-v1:" + self.registration.scope;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
