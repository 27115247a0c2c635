import { bi, button, fill, h } from './dom.js';
import { Idle } from './idle.js';

/**
 * The frame every screen lives in: the header with the step indicator, the sticky emergency
 * banner, the scrolling screen and the fixed action bar (返回 left, 首页 in the middle, the primary
 * action right), so that the primary action is never out of view.
 *
 * @typedef {{ zh: string, en: string, run: () => unknown, id?: string, disabled?: boolean }} Action
 * @typedef {{ back?: Action | null, home?: boolean, primary?: Action | null, extra?: Action[] }} BarSpec
 * @typedef {{ main: HTMLElement, nav: Nav,
 *   bar: (spec: BarSpec) => { primary: HTMLButtonElement | null },
 *   step: (n: number | null) => void,
 *   idle: (mode: 'off' | 'hold' | 'reset') => void }} View
 * @typedef {(view: View) => void | (() => void)} Screen a screen draws itself; it may return a clean-up
 * @typedef {{ go: (s: Screen) => void, home: () => void, view: View }} Nav
 */

export const STEPS = [
  { zh: '选择业务', en: 'Service' },
  { zh: '填写', en: 'Details' },
  { zh: '确认', en: 'Confirm' },
  { zh: '付款', en: 'Pay' },
  { zh: '完成', en: 'Done' },
];

export class Shell {
  /**
   * @param {{ screen: HTMLElement, bar: HTMLElement, steps: HTMLElement, idle: HTMLElement }} els
   * @param {() => Screen} homeScreen the current home (the customer's, or the console's menu)
   */
  constructor(els, homeScreen) {
    this.els = els;
    this.homeScreen = homeScreen;
    /** @type {{ code: string, name: string, role: 'teller' | 'supervisor' } | null} the operator logged in */
    this.operator = null;
    /** @type {(() => void) | void} */
    this.cleanup = undefined;
    this.idleMode = /** @type {'off' | 'hold' | 'reset'} */ ('off');
    this.idle = new Idle(els.idle, () => this.onIdle());
    /** Called when the countdown runs out; the customer's default goes home. */
    this.onIdle = () => this.nav.home();
    /** How many screens have been shown: a view draws only while its screen is the latest. */
    this.shown = 0;
    /** @type {View} */
    this.current = this.screenView();
    const shell = this;
    /** @type {Nav} */
    this.nav = {
      go: (s) => this.go(s),
      home: () => this.go(this.homeScreen()),
      get view() {
        return shell.current;
      },
    };
  }

  /**
   * The view of the next screen. Once another screen is shown it draws nowhere and navigates
   * nowhere, so an answer that arrives after the customer has left a screen (a read still on its
   * way, a stream frame) cannot repaint or replace the screen they are on.
   * @returns {View}
   */
  screenView() {
    const shell = this;
    const own = ++this.shown;
    const live = () => shell.shown === own;
    const doc = this.els.screen.ownerDocument;
    const nowhere = doc.createElement('div');
    /** @type {Nav} */
    const left = {
      go: () => {},
      home: () => {},
      get view() {
        return view;
      },
    };
    /** @type {View} */
    const view = {
      get main() {
        return live() ? shell.els.screen : nowhere;
      },
      get nav() {
        return live() ? shell.nav : left;
      },
      bar: (spec) =>
        live()
          ? shell.drawBar(spec)
          : { primary: spec.primary ? /** @type {HTMLButtonElement} */ (doc.createElement('button')) : null },
      step: (n) => {
        if (live()) shell.drawSteps(n);
      },
      idle: (mode) => {
        if (!live()) return;
        shell.idleMode = mode;
        shell.idle.set(mode);
      },
    };
    return view;
  }

  /** @param {Screen} screen */
  go(screen) {
    if (typeof this.cleanup === 'function') this.cleanup();
    this.cleanup = undefined;
    this.current = this.screenView();
    this.els.screen.replaceChildren();
    this.els.screen.scrollTop = 0;
    this.drawBar({});
    this.drawSteps(null);
    this.current.idle('reset');
    this.cleanup = screen(this.current);
    // The new screen's title takes the focus, so a screen reader announces it.
    const first = this.els.screen.querySelector('h1');
    if (first instanceof HTMLElement) {
      if (!first.hasAttribute('tabindex')) first.setAttribute('tabindex', '-1');
      first.focus({ preventScroll: true });
    }
  }

  /** @param {BarSpec} spec */
  drawBar(spec) {
    const mk = (/** @type {Action} */ a, /** @type {string} */ cls, /** @type {string} */ id) => {
      const b = /** @type {HTMLButtonElement} */ (button(a.zh, a.en, a.run, cls, { id: a.id ?? id }));
      if (a.disabled) b.disabled = true;
      return b;
    };
    const primary = spec.primary ? mk(spec.primary, 'primary', 'act-primary') : null;
    fill(
      this.els.bar,
      h(
        'div',
        { class: 'bar-left' },
        spec.back ? mk(spec.back, 'secondary', 'act-back') : null,
        spec.home
          ? mk({ zh: '首页', en: 'Home', run: () => this.nav.home() }, 'secondary home', 'act-home')
          : null,
      ),
      h(
        'div',
        { class: 'bar-mid' },
        ...(spec.extra ?? []).map((a, i) => mk(a, 'secondary', `act-extra-${i}`)),
      ),
      h('div', { class: 'bar-right' }, primary),
    );
    return { primary };
  }

  /** @param {number | null} n index into STEPS, or null for none */
  drawSteps(n) {
    if (n === null) {
      fill(this.els.steps);
      this.els.steps.hidden = true;
      return;
    }
    this.els.steps.hidden = false;
    fill(
      this.els.steps,
      ...STEPS.map((s, i) =>
        h(
          'li',
          { class: i < n ? 'done' : i === n ? 'now' : '', 'aria-current': i === n ? 'step' : undefined },
          h('span', { class: 'step-no', 'aria-hidden': 'true', text: String(i + 1) }),
          bi(s.zh, s.en),
        ),
      ),
    );
  }
}
