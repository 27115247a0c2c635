/**
 * Small DOM helpers for the touchscreen app. Text is always set as text (never HTML), so nothing
 * the API returns can inject markup.
 */

/**
 * @typedef {{ zh: string, en: string }} Bilingual
 * @typedef {Node | string | number | null | undefined | false} Child
 */

/**
 * Creates an element. `props` keys: `class`, `text`, `on<event>` handlers, `dataset`, and any
 * other attribute (boolean `true` sets it empty, `false`/`undefined` leaves it out).
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Child | Child[])} kids
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false || v === null) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function')
      el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(typeof kid === 'object' ? kid : String(kid));
  }
  return el;
}

/**
 * A bilingual label: Chinese first, English second.
 * @param {string} zh
 * @param {string} en
 * @param {string} [cls]
 */
export function bi(zh, en, cls = '') {
  return h(
    'span',
    { class: `bi ${cls}`.trim() },
    h('span', { class: 'zh', text: zh }),
    h('span', { class: 'en', text: en }),
  );
}

/**
 * A big touch button with a bilingual label.
 * @param {string} zh
 * @param {string} en
 * @param {() => void} onclick
 * @param {string} [cls]
 */
export function button(zh, en, onclick, cls = '') {
  return h('button', { type: 'button', class: `btn ${cls}`.trim(), onclick }, bi(zh, en));
}

/**
 * Replaces the children of an element.
 * @param {Element} el
 * @param {...(Child | Child[])} kids
 */
export function fill(el, ...kids) {
  el.replaceChildren();
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(typeof kid === 'object' ? kid : String(kid));
  }
}
