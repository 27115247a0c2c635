import { api, setToken } from './api.js';
import { bi, fill, h, messageBox, title } from './dom.js';
import { homeScreen } from './home.js';
import { CONSOLE_IDLE_MS, CUSTOMER_IDLE_MS } from './idle.js';
import { entryField } from './keypad.js';

/**
 * The operator's way in: holding the station's name (nothing on the customer's screens points to
 * it), then the operator code and 6-digit password on the on-screen keypads. The session's token
 * lives only in memory; logging out, or the idle countdown, returns the screen to the customer.
 *
 * @typedef {import('./shell.js').Shell} Shell
 * @typedef {{ code: string, name: string, role: 'teller' | 'supervisor' }} Operator
 */

/**
 * Opens the login (operator code first), unless an operator is logged in already.
 * @param {Shell} shell
 */
export function openLogin(shell) {
  if (!shell.operator) shell.nav.go(loginCode(shell));
}

const CODE = {
  name: 'code',
  zh: '柜员号',
  en: 'Operator code',
  required: true,
  sensitive: null,
  entry: { keypad: /** @type {const} */ ('alnum'), maxLength: 8 },
};
const PASSWORD = {
  name: 'password',
  zh: '密码（6位数字）',
  en: 'Password (6 digits)',
  required: true,
  sensitive: null,
  entry: { keypad: /** @type {const} */ ('digits'), maxLength: 6 },
};

/**
 * @param {Shell} shell
 * @param {string} [code]
 * @returns {import('./shell.js').Screen}
 */
function loginCode(shell, code = '') {
  return (view) => {
    let value = code;
    const f = entryField(CODE, {
      value,
      onChange: (v) => {
        value = v;
        if (primary) primary.disabled = !v;
      },
    });
    fill(view.main, title('柜员登录', 'Operator login'), f.el);
    const { primary } = view.bar({
      back: { zh: '取消', en: 'Cancel', run: () => view.nav.home() },
      primary: {
        zh: '下一步',
        en: 'Next',
        disabled: !value,
        run: () => view.nav.go(loginPassword(shell, value)),
      },
    });
  };
}

/**
 * @param {Shell} shell
 * @param {string} code
 * @param {{ zh: string, en: string } | null} [problem] why the last try was refused
 * @returns {import('./shell.js').Screen}
 */
function loginPassword(shell, code, problem = null) {
  return (view) => {
    let value = '';
    const box = messageBox();
    const f = entryField(PASSWORD, {
      value,
      secret: true,
      onChange: (v) => {
        value = v;
        if (primary) primary.disabled = v.length !== 6;
      },
    });
    fill(view.main, title(`柜员登录 ${code}`, `Operator login ${code}`), box, f.el);
    if (problem) f.showErrors([problem]);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(loginCode(shell, code)) },
      primary: {
        zh: '登录',
        en: 'Log in',
        disabled: true,
        run: async () => {
          try {
            const r = await api('POST', '/api/session', { code, password: value });
            await logIn(shell, r.token, r.operator);
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            view.nav.go(loginPassword(shell, code, { zh: err.zh, en: err.en }));
          }
        },
      },
    });
  };
}

/** The header's words on the customer's screens, given back when the operator leaves. */
/** @type {Node[] | null} */
let customerBrand = null;

/**
 * The header says whose screen it is: the operator console with the operator's name, code and
 * role while one is logged in, the kiosk's own name for customers otherwise.
 * @param {Shell} shell
 * @param {Operator | null} operator
 */
function showBrand(shell, operator) {
  const brand = /** @type {HTMLElement | null} */ (shell.els.screen.ownerDocument.getElementById('station'));
  if (!brand) return;
  if (operator) {
    customerBrand ??= [...brand.childNodes];
    const role =
      operator.role === 'supervisor' ? { zh: '主管', en: 'supervisor' } : { zh: '柜员', en: 'teller' };
    fill(
      brand,
      h(
        'span',
        { class: 'bi', 'data-k': 'console-brand' },
        h('span', { class: 'zh' }, `营业员控制台 · ${operator.name}（${operator.code}）${role.zh}`),
        h('span', { class: 'en', lang: 'en' }, `Operator console · ${operator.code} ${role.en}`),
      ),
    );
  } else if (customerBrand) {
    fill(brand, ...customerBrand);
    customerBrand = null;
  }
}

/**
 * @param {Shell} shell
 * @param {string} token
 * @param {Operator} operator
 */
async function logIn(shell, token, operator) {
  setToken(token);
  shell.operator = operator;
  showBrand(shell, operator);
  document.documentElement.classList.add('console');
  const { consoleHome } = await import('./console-home.js');
  shell.homeScreen = () => consoleHome(shell);
  shell.onIdle = () => void logOut(shell, true);
  shell.idle.set(shell.idleMode, {
    quietMs: CONSOLE_IDLE_MS,
    what: { zh: '自动退出登录', en: 'logging out' },
  });
  shell.nav.home();
}

/**
 * Ends the session and gives the screen back to the customer's home.
 * @param {Shell} shell
 * @param {boolean} [auto] by the idle countdown
 */
export async function logOut(shell, auto = false) {
  // The request takes the session's token when it is sent, before the token is forgotten here; the
  // screen is the customer's at once, so a login opened while the kiosk answers is not replaced.
  const ended = api('DELETE', '/api/session');
  setToken(null);
  shell.operator = null;
  showBrand(shell, null);
  document.documentElement.classList.remove('console');
  shell.homeScreen = homeScreen;
  shell.onIdle = () => shell.nav.home();
  shell.idle.set('off', {
    quietMs: CUSTOMER_IDLE_MS,
    what: { zh: '返回首页', en: 'going back to the start' },
  });
  shell.nav.home();
  if (auto) {
    const note = h(
      'p',
      { class: 'notice', 'data-k': 'logged-out' },
      bi('柜员已自动退出登录', 'The operator was logged out'),
    );
    shell.els.screen.prepend(note);
  }
  try {
    await ended;
  } catch {
    // The token is forgotten here either way; it also expires on the kiosk by itself.
  }
}
