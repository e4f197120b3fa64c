// Installs the service worker (offline shell). Kept outside the WASM so it runs without it.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// Tells the server the browser's time zone, so account and order dates read in local time.
try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split("; ").includes("tz=" + zone)) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
} catch (_) {
  // No Intl: dates stay in UTC, as the pages say.
}
