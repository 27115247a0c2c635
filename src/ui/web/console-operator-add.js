import { api } from './api.js';
import { askScreen } from './console-kit.js';
import { pinyinField } from './console-pinyin.js';
import { bi, fill, h, title } from './dom.js';

/**
 * A supervisor adds an operator by touch alone, one thing per screen: the 4-character code (A–Z
 * and digits), the name in Chinese on the pinyin pad, the role, the 6-digit password. The server
 * checks each (errors name the field) and journals the new operator.
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} done the operators' list
 * @returns {import('./shell.js').Screen}
 */
export function addOperatorScreen(shell, done) {
  return askScreen(
    { zh: '新增操作员：柜员号', en: 'New operator: code' },
    {
      name: 'code',
      zh: '柜员号（4位字母或数字）',
      en: 'Code (4 letters or digits)',
      keypad: 'alnum',
      maxLength: 4,
    },
    { zh: '下一步', en: 'Next' },
    async (code, _box, field) => {
      if (!/^[0-9A-Z]{4}$/.test(code)) {
        field.showErrors([{ zh: '柜员号为 4 位字母或数字', en: 'the code is 4 letters or digits' }]);
        return;
      }
      shell.nav.go(nameScreen(shell, done, { code }));
    },
    done,
  );
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} done
 * @param {{ code: string }} draft
 * @returns {import('./shell.js').Screen}
 */
function nameScreen(shell, done, draft) {
  return (view) => {
    const f = pinyinField({
      onChange: (name) => {
        if (primary) primary.disabled = name.length < 2;
      },
    });
    fill(view.main, title(`新增操作员 ${draft.code}：姓名`, `New operator ${draft.code}: name`), f.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(addOperatorScreen(shell, done)) },
      primary: {
        zh: '下一步',
        en: 'Next',
        disabled: true,
        run: () => view.nav.go(roleScreen(shell, done, { ...draft, name: f.value() })),
      },
    });
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} done
 * @param {{ code: string, name: string }} draft
 * @returns {import('./shell.js').Screen}
 */
function roleScreen(shell, done, draft) {
  return (view) => {
    const pick = (/** @type {'teller' | 'supervisor'} */ role) =>
      view.nav.go(passwordScreen(shell, done, { ...draft, role }));
    fill(
      view.main,
      title(`新增操作员 ${draft.code} ${draft.name}：角色`, `New operator ${draft.code}: role`),
      h(
        'div',
        { class: 'services console-menu' },
        h(
          'button',
          { type: 'button', class: 'tile', 'data-role': 'teller', onclick: () => pick('teller') },
          bi('普通柜员', 'Teller'),
        ),
        h(
          'button',
          { type: 'button', class: 'tile', 'data-role': 'supervisor', onclick: () => pick('supervisor') },
          bi('综合柜员（主管）', 'Supervisor'),
        ),
      ),
    );
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(nameScreen(shell, done, draft)) } });
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} done
 * @param {{ code: string, name: string, role: 'teller' | 'supervisor' }} draft
 * @returns {import('./shell.js').Screen}
 */
function passwordScreen(shell, done, draft) {
  return askScreen(
    { zh: `新增操作员 ${draft.code} ${draft.name}：密码`, en: `New operator ${draft.code}: password` },
    { name: 'password', zh: '初始密码（6位数字）', en: 'Password (6 digits)', maxLength: 6 },
    { zh: '新增', en: 'Add' },
    async (password, box, field) => {
      try {
        await api('POST', '/api/operators', { ...draft, password });
        shell.nav.go(done());
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        if (err.field === 'password') field.showErrors([{ zh: err.zh, en: err.en }]);
        else fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
    },
    () => roleScreen(shell, done, draft),
  );
}
