// Shelfscan's service worker, served at /sw.js by blueprints/app_shell.py so its scope is the whole app.
// It caches static files only: the shell (CSS, scripts, icon) when it installs, any other static file
// (the camera's decoder) the first time a page fetches it. Static URLs carry their file's hash (?v=), so
// a cached one is never stale. Pages, fragments, downloads and the API are never touched: they go to the
// network as if there were no worker (and carry Cache-Control: no-store). VERSION changes with any static
// file, which installs a new worker that deletes the old cache. On a page where nobody is signed in,
// app-shell.js sends "signed-out": the cache goes, nothing more is stored, and the page unregisters us.
"use strict";
const VERSION = {{ version|tojson }};
const PREFIX = "shelfscan-static-";
const CACHE = PREFIX + VERSION;
const SHELL = {{ shell|tojson }};
const STATIC_PATH = {{ static_path|tojson }};
let signedOut = false;

// Deletes the caches of older versions, and after sign-out this version's too.
const forget = () => caches.keys().then((names) => Promise.all(names
  .filter((name) => name.startsWith(PREFIX) && (name !== CACHE || signedOut)).map((name) => caches.delete(name))));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(forget().then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data !== "signed-out") return;
  signedOut = true;
  event.waitUntil(forget());
});

function isStatic(request) {
  const url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith(STATIC_PATH);
}

self.addEventListener("fetch", (event) => {
  if (signedOut || !isStatic(event.request)) return; // the network answers, as without a worker
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(event.request).then((hit) => hit ||
    fetch(event.request).then((response) => {
      if (response.ok && response.type === "basic" && !signedOut) cache.put(event.request, response.clone());
      return response;
    }))));
});
