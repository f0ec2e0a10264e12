// The installable app's service worker (/sw.js: static files only). On a page of a signed-in user
// (body[data-service-worker]) it is registered; on any other page (signed out, or the session ended) it
// is told to forget and unregistered, its caches are deleted and so are htmx's history snapshots and the
// last scan, so nothing of the last user stays on a shared phone.
(() => {
  "use strict";
  const PREFIX = "shelfscan-static-";
  const url = document.body.dataset.serviceWorker;
  const workers = navigator.serviceWorker;

  if (url) {
    workers?.register(url).catch(() => { /* without the worker the app works, only without its cache */ });
    return;
  }
  workers?.controller?.postMessage("signed-out");
  workers?.getRegistrations().then((registrations) => {
    for (const registration of registrations) registration.unregister();
  });
  window.caches?.keys().then((names) => {
    for (const name of names) if (name.startsWith(PREFIX)) caches.delete(name);
  });
  try {
    localStorage.removeItem("htmx-history-cache");
    sessionStorage.removeItem("shelfscan.lastScan");
  } catch { /* storage off: nothing was kept */ }
})();
