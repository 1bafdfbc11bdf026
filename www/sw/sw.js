// ASL Studio's service worker: a studio visited once opens again without network.
//
// It works from any sub-path: everything is relative to its own scope (the folder it is served
// from, e.g. /sub/asl-studio/). trunk names the app's files by content hash (asl-app-<hash>.js,
// style-<hash>.css): those are served from the cache first, since a hashed file never changes.
// The page itself and unhashed files (gen/editor.js, embed/) go to the network first, so a new
// deployment is picked up at once, and fall back to the cache when offline. After each page load
// from the network, the files that page refers to are cached and the hashed files it no longer
// refers to are dropped. Only GET requests of this origin and scope are touched.
const CACHE = 'asl-studio-v1';
const SCOPE = new URL(self.registration.scope);
const PAGE = SCOPE.href; // the studio's index.html, as its folder URL
const HASHED = /-[0-9a-f]{16}(?:_bg)?\.[a-z0-9]+$/;

/** The studio files a page refers to (script, wasm, style, icon, editor bundle), as absolute URLs. */
function filesOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/["']((?:\.\/)?[\w\-./]+\.(?:js|mjs|wasm|css|svg|png|ico|json))["']/g)) {
    const url = new URL(m[1], PAGE);
    if (url.origin === SCOPE.origin && url.href.startsWith(PAGE)) urls.add(url.href);
  }
  return [...urls];
}

function isPage(url) {
  return url.href === PAGE || url.href === `${PAGE}index.html`;
}

/** Caches the files of a page that are not cached yet, and drops hashed files it no longer uses. */
async function refresh(cache, html) {
  const wanted = new Set(filesOf(html));
  await Promise.all([...wanted].map(async (url) => {
    if (HASHED.test(url) && (await cache.match(url))) return;
    try {
      const response = await fetch(url, { cache: 'no-cache' });
      if (response.ok) await cache.put(url, response);
    } catch {
      // Offline or gone: the next load tries again.
    }
  }));
  for (const request of await cache.keys()) {
    if (HASHED.test(request.url) && !wanted.has(request.url)) await cache.delete(request);
  }
}

async function loadPage() {
  const cache = await caches.open(CACHE);
  const response = await fetch(PAGE, { cache: 'no-cache' });
  if (!response.ok) return response;
  await cache.put(PAGE, response.clone());
  await refresh(cache, await response.clone().text());
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil(loadPage().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('asl-studio-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, key, onPage) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      await cache.put(key, response.clone());
      if (onPage) onPage(cache, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request.url);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request.url, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.href.startsWith(PAGE)) return;
  url.hash = '';
  if (request.mode === 'navigate' && isPage(new URL(url.pathname, url.origin))) {
    event.respondWith(networkFirst(request, PAGE, (cache, response) => {
      event.waitUntil(response.text().then((html) => refresh(cache, html)));
    }));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    url.search = '';
    event.respondWith(networkFirst(request, url.href, null));
  }
});
