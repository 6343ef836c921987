// Served only by `lessonkit serve` (never written by `render`): reloads the page when a build
// newer than the one it was served from finishes. The build number is in this script's URL.
(() => {
  "use strict";
  const script = document.currentScript;
  const build = script ? new URL(script.src).searchParams.get("build") : null;
  const events = new EventSource("/__lessonkit/events");
  // Marks the page as listening (tests wait for it before they edit a lesson).
  events.onopen = () => { document.documentElement.dataset.lessonkitReload = "listening"; };
  events.onmessage = (event) => {
    if (build !== null && event.data !== build) {
      events.close();
      location.reload();
    }
  };
})();
