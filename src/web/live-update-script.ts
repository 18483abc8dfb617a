/** Where the job's page loads its one script from (this app, allowed by the page's nonce). */
export const LIVE_SCRIPT_PATH = "/job-page/live.js";

/**
 * The job page's live update, served as a static file (no inline script: the page's policy allows
 * only this file, by its nonce). While `<main data-live>` is there, it fetches the page again every
 * few seconds and, when the job's record changed, swaps in the new `<main>`, keeping open the
 * sections the reader opened (and closed the ones they closed) and their scroll position: a reload
 * would lose both. The fetched page is this app's own escaped HTML, parsed inert by DOMParser; no
 * script in it runs. It stops when the job no longer runs, and it never follows a redirect (an
 * expired session shows the page as it was, rather than a sign-in).
 */
export const LIVE_UPDATE_SCRIPT = `"use strict";
(() => {
  let current = document.getElementById("job");
  if (!current || !current.dataset.live) return;
  const every = Math.max(1, Number(current.dataset.live) || 5) * 1000;
  const swap = (next) => {
    const state = new Map();
    for (const details of current.querySelectorAll("details[id]")) state.set(details.id, details.open);
    for (const details of next.querySelectorAll("details[id]")) {
      if (state.has(details.id)) details.open = state.get(details.id);
    }
    const x = window.scrollX;
    const y = window.scrollY;
    const adopted = document.adoptNode(next);
    current.replaceWith(adopted);
    current = adopted;
    window.scrollTo(x, y);
  };
  const poll = async () => {
    try {
      const response = await fetch(location.href, {
        credentials: "same-origin",
        redirect: "error",
        cache: "no-store",
        headers: { accept: "text/html" },
      });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = page.getElementById("job");
        if (next && next.dataset.updated !== current.dataset.updated) {
          swap(next);
          document.title = page.title;
        }
        if (next && !next.dataset.live) return;
      }
    } catch {
      // Offline for a moment, or the session expired: try again at the next tick.
    }
    setTimeout(poll, every);
  };
  setTimeout(poll, every);
})();
`;
