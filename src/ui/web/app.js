import { api } from './api.js';
import { bi, fill, h } from './dom.js';
import { homeScreen } from './screens.js';

/** Without a touch or key for this long, the screen goes back to home (a customer walked away). */
const IDLE_MS = Number(new URLSearchParams(location.search).get('idle') ?? '') * 1000 || 90_000;
/** How often the roof sign is asked for an emergency notice. */
const BANNER_POLL_MS = 5_000;

const screenEl = /** @type {HTMLElement} */ (document.getElementById('screen'));
const bannerEl = /** @type {HTMLElement} */ (document.getElementById('banner'));

/** @type {(() => void) | void} */
let cleanup;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let idleTimer;

/** @type {import('./screens.js').Nav} */
const nav = {
  go(screen) {
    if (typeof cleanup === 'function') cleanup();
    cleanup = undefined;
    screenEl.replaceChildren();
    cleanup = screen(screenEl);
    screenEl.scrollTop = 0;
    window.scrollTo(0, 0);
    armIdle();
  },
  home() {
    nav.go(homeScreen(nav));
  },
};

function armIdle() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => nav.home(), IDLE_MS);
}

for (const type of ['pointerdown', 'keydown', 'input'])
  document.addEventListener(type, armIdle, { passive: true });

/**
 * Shows the sign's emergency notice (priority `emergency`, showing now or queued) on every screen.
 * The sign's texts come masked from the kiosk.
 */
async function pollBanner() {
  try {
    const d = await api('GET', '/api/display');
    /** @type {Array<{ text: string, priority: string }>} */
    const all = [...(d.showing ? [d.showing] : []), ...(Array.isArray(d.notices) ? d.notices : [])];
    const urgent = all.find((n) => n.priority === 'emergency');
    if (urgent) {
      fill(
        bannerEl,
        h('strong', {}, bi('紧急通知', 'Emergency notice')),
        h('span', { class: 'banner-text', text: urgent.text }),
      );
      bannerEl.hidden = false;
    } else bannerEl.hidden = true;
  } catch {
    // No sign here (or no answer): keep what is shown until the next poll.
  }
}

document.getElementById('home-link')?.addEventListener('click', () => nav.home());
nav.home();
void pollBanner();
setInterval(pollBanner, BANNER_POLL_MS);
