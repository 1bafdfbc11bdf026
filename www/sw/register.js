// Registers the studio's service worker (sw.js, next to index.html: its scope is the studio's
// folder, whatever sub-path the site is served from). Browsers allow service workers on https
// and on localhost only; elsewhere the studio simply works online.
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('sw.js').catch((e) => console.warn('ASL Studio works online only:', e.message));
}
