import { api, newKey } from './api.js';
import { appointmentsScreen, assistStatsScreen } from './console-assist-stats.js';
import { loadInto, table } from './console-kit.js';
import { requestScreen } from './console-request.js';
import { bi, biOf, button, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * The operator's register of assisted requests (代办/帮办 台帐): open requests with their state,
 * promised date and flags (临期 due soon, 超期 overdue), registering a new one, the day's
 * appointments and the monthly statistics.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function requestsScreen(shell) {
  return (view) => {
    const box = h('div');
    fill(view.main, title('便民代办', 'Assisted requests'), box);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      extra: [
        {
          zh: '今日预约',
          en: 'Appointments',
          id: 'act-appointments',
          run: () => view.nav.go(appointmentsScreen(shell)),
        },
        { zh: '月报', en: 'Monthly', id: 'act-stats', run: () => view.nav.go(assistStatsScreen(shell)) },
      ],
      primary: {
        zh: '登记新申请',
        en: 'New request',
        id: 'act-new',
        run: () => view.nav.go(newRequestScreen(shell)),
      },
    });
    void loadInto(box, async () => {
      const r = await api('GET', '/api/assist/requests?open=1');
      if (r.items.length === 0)
        return h('p', { 'data-k': 'none-open' }, bi('没有在办的申请', 'No open requests'));
      return table(
        [
          { zh: '受理编号', en: 'Number' },
          { zh: '事项', en: 'Matter' },
          { zh: '状态', en: 'State' },
          { zh: '承诺办结', en: 'Promised' },
          { zh: '提醒', en: 'Flag' },
          { zh: '操作', en: 'Action' },
        ],
        r.items.map((/** @type {any} */ x) => [
          x.id,
          x.matterTitle.zh,
          h('span', { class: 'state', 'data-state': x.state }, x.stateLabel.zh),
          x.deadline,
          x.flag
            ? h(
                'span',
                { class: 'req-flag', 'data-flag': x.flag },
                x.flag === 'overdue' ? bi('超期', 'Overdue') : bi('临期', 'Due soon'),
              )
            : '',
          button('处理', 'Open', () => view.nav.go(requestScreen(shell, x.id)), 'small', {
            'data-request': x.id,
          }),
        ]),
        'requests',
      );
    });
  };
}

/** @typedef {{ id: string, title: { zh: string, en: string }, materials: Array<{ zh: string, en: string }>, inPerson: boolean }} Matter */

const ID_FIELD = {
  name: 'idNumber',
  zh: '身份证号（可不填）',
  en: 'ID number (optional)',
  required: false,
  sensitive: null,
  entry: { keypad: /** @type {const} */ ('alnum'), maxLength: 18 },
};
const PHONE = {
  name: 'phone',
  zh: '联系电话',
  en: 'Phone number',
  required: true,
  sensitive: /** @type {const} */ ('phone'),
  entry: { keypad: /** @type {const} */ ('digits'), maxLength: 12 },
};

/**
 * Registering a request at the counter (受理/登记): the matter, the citizen's phone and ID number,
 * the materials handed in and whether they authorise the station to act for them (代办) or only
 * want help (帮办). One idempotency key per registration, so a second tap registers nothing more.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function newRequestScreen(shell) {
  return (view) => {
    const grid = h('div', { class: 'services' });
    fill(view.main, title('选择事项', 'Choose the matter'), grid);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(requestsScreen(shell)) } });
    void loadInto(grid, async () => {
      const g = await api('GET', '/api/guide');
      return g.matters.map((/** @type {Matter} */ m) =>
        h(
          'button',
          {
            type: 'button',
            class: 'tile',
            'data-matter': m.id,
            onclick: () => view.nav.go(entryScreen(shell, m, {}, 0)),
          },
          bi(m.title.zh, m.title.en, 'tile-name'),
        ),
      );
    });
  };
}

/**
 * The phone (step 0) and ID number (step 1) on keypads, then the materials and consent.
 * @param {import('./shell.js').Shell} shell
 * @param {Matter} m
 * @param {{ phone?: string, idNumber?: string }} got
 * @param {number} step
 * @returns {import('./shell.js').Screen}
 */
function entryScreen(shell, m, got, step) {
  return (view) => {
    const f = step === 0 ? PHONE : ID_FIELD;
    let value = (step === 0 ? got.phone : got.idNumber) ?? '';
    const field = entryField(f, {
      value,
      onChange: (v) => {
        value = v;
        if (primary) primary.disabled = step === 0 && v.length < 7;
      },
    });
    fill(view.main, title(m.title.zh, m.title.en), field.el);
    const { primary } = view.bar({
      back: {
        zh: '返回',
        en: 'Back',
        run: () => view.nav.go(step === 0 ? newRequestScreen(shell) : entryScreen(shell, m, got, 0)),
      },
      primary: {
        zh: '下一步',
        en: 'Next',
        disabled: step === 0 && value.length < 7,
        run: () =>
          view.nav.go(
            step === 0
              ? entryScreen(shell, m, { ...got, phone: value }, 1)
              : detailsScreen(shell, m, { ...got, idNumber: value }),
          ),
      },
    });
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {Matter} m
 * @param {{ phone?: string, idNumber?: string }} got
 * @returns {import('./shell.js').Screen}
 */
function detailsScreen(shell, m, got) {
  return (view) => {
    const key = newKey();
    /** @type {Set<number>} */
    const handed = new Set();
    let consent = !m.inPerson;
    const box = messageBox();
    const toggle = (/** @type {HTMLElement} */ el, on = false) => el.setAttribute('aria-pressed', String(on));
    const mats = m.materials.map((x, i) => {
      const b = h('button', { type: 'button', class: 'chip', 'data-material': String(i) }, biOf(x));
      toggle(b);
      b.addEventListener('click', () => {
        if (handed.has(i)) handed.delete(i);
        else handed.add(i);
        toggle(b, handed.has(i));
      });
      return b;
    });
    const consentBtn = h(
      'button',
      { type: 'button', class: 'chip', 'data-consent': '' },
      bi('授权委托代办', 'Authorised to act for them'),
    );
    toggle(consentBtn, consent);
    consentBtn.addEventListener('click', () => {
      consent = !consent;
      toggle(consentBtn, consent);
    });
    fill(
      view.main,
      title('材料与委托', 'Materials and consent'),
      box,
      h('h2', {}, bi('已收材料', 'Materials handed in')),
      mats.length ? h('div', { class: 'chips' }, ...mats) : h('p', {}, bi('该事项无需材料', 'None needed')),
      h('h2', {}, bi('委托', 'Consent')),
      m.inPerson
        ? h('p', {}, bi('该事项须本人到场，只能帮办', 'Must be done in person: help only'))
        : h('div', { class: 'chips' }, consentBtn),
    );
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(entryScreen(shell, m, got, 1)) },
      primary: {
        zh: '登记',
        en: 'Register',
        run: async () => {
          fill(box);
          try {
            const body = {
              matter: m.id,
              phone: got.phone,
              idNumber: got.idNumber ? got.idNumber : null,
              materials: [...handed].sort((a, b) => a - b),
              consent,
            };
            const r = await api('POST', '/api/assist/requests', body, { key });
            view.nav.go(requestScreen(shell, r.id));
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            fill(
              box,
              ...err.issues.map((i) => h('p', { class: 'error', 'data-field': i.field }, bi(i.zh, i.en))),
            );
          }
        },
      },
    });
  };
}
