import { api } from './api.js';
import { bi, fill, h } from './dom.js';
import { homeScreen } from './home.js';
import { watchLongPress } from './long-press.js';
import { Shell } from './shell.js';

/** How often the roof sign is asked for an emergency notice. */
const BANNER_POLL_MS = 5_000;
/** Holding the station's name this long opens the operator's login. */
const LONG_PRESS_MS = 1_500;

const el = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const bannerEl = el('banner');

const shell = new Shell(
  { screen: el('screen'), bar: el('bar'), steps: el('steps'), idle: el('idle') },
  homeScreen,
);

// Any touch anywhere counts as activity: the idle countdown stops.
for (const type of ['pointerdown', 'keydown'])
  document.addEventListener(type, () => shell.idle.touch(), { passive: true, capture: true });

// A pressed state within one frame on every control, also where :active comes late on touch.
document.addEventListener(
  'pointerdown',
  (e) => {
    const b = e.target instanceof Element ? e.target.closest('button') : null;
    if (!b) return;
    b.classList.add('pressed');
    const up = () => {
      b.classList.remove('pressed');
      for (const t of ['pointerup', 'pointercancel', 'pointerleave']) b.removeEventListener(t, up);
    };
    for (const t of ['pointerup', 'pointercancel', 'pointerleave']) b.addEventListener(t, up);
  },
  { passive: true, capture: true },
);

// Large text (A+) for elderly users; it stays for the next screens until switched off.
const big = el('bigtext');
big.addEventListener('click', () => {
  const on = !document.documentElement.classList.contains('big');
  document.documentElement.classList.toggle('big', on);
  big.setAttribute('aria-pressed', String(on));
});

// The operator's login (and its keypads) is loaded only when it is opened.
watchLongPress(el('station'), LONG_PRESS_MS, () => {
  void import('./console-entry.js').then((m) => m.openLogin(shell));
});

/**
 * Shows the sign's emergency notice (priority `emergency`, showing now or queued) above every
 * screen; it never scrolls away. The sign's texts come masked from the kiosk.
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

shell.nav.home();
void pollBanner();
setInterval(pollBanner, BANNER_POLL_MS);
