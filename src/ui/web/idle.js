import { bi, fill, h } from './dom.js';

/** Quiet time before the countdown appears: a customer on a form (ms). */
export const CUSTOMER_IDLE_MS = 60_000;
/** Quiet time before an operator is logged out by the countdown (ms). */
export const CONSOLE_IDLE_MS = 120_000;
/** The visible countdown before the reset, seconds. */
export const COUNTDOWN_S = 20;

/**
 * The idle reset: after a quiet spell a visible countdown, which any touch cancels, then the
 * reset. A screen holds it off while a payment is in flight or a result is unread, and home needs
 * none.
 */
export class Idle {
  /**
   * @param {HTMLElement} overlay
   * @param {() => void} onExpire
   */
  constructor(overlay, onExpire) {
    this.overlay = overlay;
    this.onExpire = onExpire;
    /** @type {'off' | 'hold' | 'reset'} */
    this.mode = 'off';
    this.quietMs = CUSTOMER_IDLE_MS;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.tick = undefined;
    this.left = 0;
    /** @type {{ zh: string, en: string }} */
    this.what = { zh: '返回首页', en: 'going back to the start' };
  }

  /**
   * @param {'off' | 'hold' | 'reset'} mode
   * @param {{ quietMs: number, what: { zh: string, en: string } }} [opts]
   */
  set(mode, opts) {
    this.mode = mode;
    if (opts) {
      this.quietMs = opts.quietMs;
      this.what = opts.what;
    }
    this.touch();
  }

  /** Any touch: the countdown stops and the quiet time starts again. */
  touch() {
    clearTimeout(this.timer);
    clearInterval(this.tick);
    this.overlay.hidden = true;
    if (this.mode !== 'reset') return;
    this.timer = setTimeout(() => this.countdown(), this.quietMs);
  }

  countdown() {
    this.left = COUNTDOWN_S;
    this.draw();
    this.overlay.hidden = false;
    this.overlay.querySelector('button')?.focus();
    this.tick = setInterval(() => {
      this.left -= 1;
      if (this.left <= 0) {
        clearInterval(this.tick);
        this.overlay.hidden = true;
        this.onExpire();
        return;
      }
      this.draw();
    }, 1000);
  }

  draw() {
    fill(
      this.overlay,
      h(
        'div',
        { class: 'idle-box' },
        h('p', { id: 'idle-title', class: 'idle-title' }, bi('您还在吗？', 'Are you still there?')),
        h(
          'p',
          { class: 'idle-count' },
          h('strong', { 'data-k': 'idle-left', text: String(this.left) }),
          bi(` 秒后${this.what.zh}`, ` seconds, then ${this.what.en}`),
        ),
        h(
          'button',
          { type: 'button', class: 'btn primary', id: 'idle-stay', onclick: () => this.touch() },
          bi('继续办理', 'Continue'),
        ),
      ),
    );
  }
}
