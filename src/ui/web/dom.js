/**
 * Small DOM helpers for the touchscreen app. Text is always set as text (never HTML), so nothing
 * the API returns can inject markup. English always carries `lang="en"` for screen readers.
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
 * A bilingual label: Chinese first, English second (marked as English).
 * @param {string} zh
 * @param {string} en
 * @param {string} [cls]
 */
export function bi(zh, en, cls = '') {
  return h(
    'span',
    { class: `bi ${cls}`.trim() },
    h('span', { class: 'zh', text: zh }),
    h('span', { class: 'en', lang: 'en', text: en }),
  );
}

/** @param {Bilingual} b */
export const biOf = (b) => bi(b.zh, b.en);

/**
 * A touch button with a bilingual label. While its action runs it is busy: disabled, marked
 * `aria-busy`, and a second tap does nothing.
 * @param {string} zh
 * @param {string} en
 * @param {() => unknown} onclick
 * @param {string} [cls]
 * @param {Record<string, unknown>} [props]
 */
export function button(zh, en, onclick, cls = '', props = {}) {
  const b = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: `btn ${cls}`.trim(), ...props }, bi(zh, en))
  );
  b.addEventListener('click', () => {
    if (b.getAttribute('aria-busy') === 'true') return;
    const r = onclick();
    if (r && typeof (/** @type {Promise<unknown>} */ (r).then) === 'function') {
      b.setAttribute('aria-busy', 'true');
      b.disabled = true;
      const done = () => {
        b.removeAttribute('aria-busy');
        if (b.isConnected) b.disabled = false;
      };
      /** @type {Promise<unknown>} */ (r).then(done, done);
    }
  });
  return b;
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

/**
 * A screen title; it takes the focus when the screen opens.
 * @param {string} zh
 * @param {string} en
 */
export const title = (zh, en) => h('h1', { tabindex: '-1' }, bi(zh, en));

/** A live region for a screen's messages. */
export const messageBox = () => h('div', { class: 'messages', role: 'alert' });

/**
 * A number grouped for reading: a mobile number 3-4-4, other digits in fours; anything with
 * letters as typed.
 * @param {string} v
 * @param {boolean} [phone] a phone number (a mobile one is read 3-4-4)
 */
export function grouped(v, phone = false) {
  if (phone && /^1\d{10}$/.test(v)) return `${v.slice(0, 3)} ${v.slice(3, 7)} ${v.slice(7)}`;
  return /^\d+$/.test(v) ? v.replace(/(\d{4})(?=\d)/g, '$1 ') : v;
}

/**
 * What the customer got (the service's lines once it succeeded), as definition-list rows: `lead`
 * is the line that identifies it (an e-ticket's number), meant for the serial's place; `rest` the
 * others (seats, departure, how to collect and board).
 * @param {Array<{ zh: string, en: string, value: string, lead?: boolean }> | undefined} details
 * @returns {{ lead: Array<[Bilingual, Child, string]>, rest: Array<[Bilingual, Child, string]> }}
 */
export function detailRows(details) {
  const lines = details ?? [];
  return {
    lead: lines
      .filter((l) => l.lead)
      .map((l) => [{ zh: l.zh, en: l.en }, h('span', { class: 'lead-value', text: l.value }), 'lead']),
    rest: lines.filter((l) => !l.lead).map((l, i) => [{ zh: l.zh, en: l.en }, l.value, `detail-${i}`]),
  };
}

/**
 * Rows of a definition list.
 * @param {Array<[Bilingual, Child, string?]>} rows label, value, optional class and data-k
 */
export function dl(rows, cls = 'quote') {
  const list = h('dl', { class: cls });
  for (const [label, value, k] of rows) {
    list.append(
      h('dt', { class: k === 'total' ? 'total' : undefined }, biOf(label)),
      h('dd', { class: k === 'total' ? 'money total' : k ? `v-${k}` : undefined, 'data-k': k }, value),
    );
  }
  return list;
}
