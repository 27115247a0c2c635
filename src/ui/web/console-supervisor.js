import { api } from './api.js';
import { askScreen, loadInto, table } from './console-kit.js';
import { addOperatorScreen } from './console-operator-add.js';
import { bi, fill, h, title } from './dom.js';

/**
 * Supervisor only: the whole-store journal check, and the operators.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function supervisorScreen(shell) {
  return (view) => {
    const body = h(
      'div',
      { class: 'services console-menu supervisor' },
      h(
        'button',
        {
          type: 'button',
          class: 'tile',
          'data-menu': 'operators',
          onclick: () => view.nav.go(operatorsScreen(shell)),
        },
        bi('操作员管理', 'Operators'),
      ),
    );
    fill(view.main, title('主管功能', 'Supervisor'), body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '校验流水',
        en: 'Verify journal',
        id: 'act-verify',
        run: () => view.nav.go(verifyScreen(shell)),
      },
    });
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
function verifyScreen(shell) {
  return (view) => {
    const body = h('div', { class: 'verify' });
    fill(view.main, title('流水校验', 'Journal verify'), body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(supervisorScreen(shell)) },
      home: true,
    });
    void loadInto(body, async () => {
      const r = await api('GET', '/api/journal/verify');
      const problems = r.problems ?? [];
      return [
        h(
          'p',
          { class: problems.length ? 'error' : 'ok', 'data-k': 'verify' },
          problems.length
            ? bi(`发现 ${problems.length} 个问题`, `${problems.length} problems found`)
            : bi('流水完整，账实相符', 'The journal is complete and the ledger balances'),
        ),
        problems.length
          ? table(
              [
                { zh: '键', en: 'Key' },
                { zh: '问题', en: 'Problem' },
              ],
              problems.map((/** @type {any} */ p) => [String(p.key ?? ''), String(p.zh ?? p.message ?? '')]),
            )
          : null,
      ];
    });
  };
}

/**
 * The operators, whether each is locked, and what a supervisor may do: unlock, reset a password
 * (6 digits on the keypad).
 * @param {import('./shell.js').Shell} shell
 * @param {{ zh: string, en: string } | null} [note]
 * @returns {import('./shell.js').Screen}
 */
function operatorsScreen(shell, note = null) {
  return (view) => {
    const body = h('div', { class: 'operators' });
    fill(
      view.main,
      title('操作员', 'Operators'),
      note ? h('p', { class: 'ok', 'data-k': 'op-note' }, bi(note.zh, note.en)) : null,
      body,
    );
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(supervisorScreen(shell)) },
      home: true,
      primary: {
        zh: '新增操作员',
        en: 'Add operator',
        id: 'act-add-op',
        run: () =>
          view.nav.go(
            addOperatorScreen(shell, () =>
              operatorsScreen(shell, { zh: '已新增操作员', en: 'Operator added' }),
            ),
          ),
      },
    });
    const back = () => operatorsScreen(shell);
    void loadInto(body, async () => {
      const r = await api('GET', '/api/operators');
      const list = r.operators ?? r.items ?? [];
      return table(
        [
          { zh: '柜员号', en: 'Code' },
          { zh: '姓名', en: 'Name' },
          { zh: '角色', en: 'Role' },
          { zh: '状态', en: 'State' },
          { zh: '', en: '' },
        ],
        list.map((/** @type {any} */ o) => [
          String(o.code),
          String(o.name ?? ''),
          o.role === 'supervisor' ? '主管' : '柜员',
          o.locked ? '已锁定' : '正常',
          h(
            'span',
            { class: 'row-actions' },
            o.locked
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-unlock': o.code,
                    onclick: async () => {
                      await api('POST', `/api/operators/${encodeURIComponent(o.code)}/unlock`, {}).catch(
                        () => null,
                      );
                      view.nav.go(
                        operatorsScreen(shell, { zh: `${o.code} 已解锁`, en: `${o.code} unlocked` }),
                      );
                    },
                  },
                  bi('解锁', 'Unlock'),
                )
              : null,
            h(
              'button',
              {
                type: 'button',
                class: 'btn small',
                'data-reset': o.code,
                onclick: () =>
                  view.nav.go(
                    askScreen(
                      { zh: `重置 ${o.code} 的密码`, en: `Reset the password of ${o.code}` },
                      {
                        name: 'newPassword',
                        zh: '新密码（6位数字）',
                        en: 'New password (6 digits)',
                        maxLength: 6,
                      },
                      { zh: '重置', en: 'Reset' },
                      async (pw, _box, field) => {
                        try {
                          await api('POST', `/api/operators/${encodeURIComponent(o.code)}/password`, {
                            newPassword: pw,
                          });
                          view.nav.go(
                            operatorsScreen(shell, {
                              zh: `${o.code} 的密码已重置`,
                              en: `${o.code}: password reset`,
                            }),
                          );
                        } catch (e) {
                          const err = /** @type {import('./api.js').ApiError} */ (e);
                          field.showErrors([{ zh: err.zh, en: err.en }]);
                        }
                      },
                      back,
                    ),
                  ),
              },
              bi('重置密码', 'Reset password'),
            ),
          ),
        ]),
      );
    });
  };
}
