// Served only by `lessonkit serve` (never written by `render`): reloads the page when a build
// newer than the one it was served from finishes. The build number is in this script's URL.
(() => {
  "use strict";
  const script = document.currentScript;
  const build = script ? new URL(script.src).searchParams.get("build") : null;
  const events = new EventSource("/__lessonkit/events");
  events.onmessage = (event) => {
    if (build !== null && event.data !== build) {
      events.close();
      location.reload();
    }
  };
})();
