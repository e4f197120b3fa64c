// The marketplace's service worker. Served by the server at /sw.js with this build's
// asset list filled in (see server/src/http/assets.rs).
const VERSION = "__VERSION__";
const SHELL = `shell-${VERSION}`;
const PAGES = "pages-v1";
const MEDIA = "media-v1";
const PRECACHE = __PRECACHE__;
const PAGES_KEPT = 60;
const MEDIA_KEPT = 300;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("shell-") && key !== SHELL)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function trim(cacheName, max) {
  const cache = await caches.open(cacheName);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
}

// Storefront pages worth keeping for offline reading; private pages are never stored.
function keepable(url) {
  return url.pathname === "/" || /^\/(p|c|v)\//.test(url.pathname);
}

// Pages: network first; a visited page is kept for offline reading; otherwise the offline page.
async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && keepable(new URL(request.url))) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
      trim(PAGES, PAGES_KEPT);
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: PAGES });
    return cached || (await caches.match("/offline.html"));
  }
}

// Hashed assets and media never change under the same URL: cache first.
async function immutable(request, cacheName) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
    if (cacheName === MEDIA) trim(MEDIA, MEDIA_KEPT);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/pkg/")) {
    event.respondWith(immutable(request, SHELL));
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(immutable(request, MEDIA));
  }
});
