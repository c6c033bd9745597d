// "Connection lost" while the server is away, "Reconnected" for a few seconds after.
import { connection } from '../connection.js';

const RECONNECTED_VISIBLE_MS = 4000;

export function showConnectionBanner(banner: HTMLElement): void {
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  connection.onChange((change) => {
    clearTimeout(hideTimer);
    banner.hidden = false;
    banner.dataset.state = change;
    if (change === 'lost') {
      banner.textContent = 'Connection to the server lost, reconnecting…';
    } else {
      banner.textContent = 'Reconnected; the page was re-read from the server.';
      hideTimer = setTimeout(() => (banner.hidden = true), RECONNECTED_VISIBLE_MS);
    }
  });
}
