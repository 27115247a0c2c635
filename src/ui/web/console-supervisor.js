import { api } from './api.js';
import { loadInto, table } from './console-kit.js';
import { bi, fill, h, title } from './dom.js';

/**
 * Supervisor only: the whole-store journal check, and the operators.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function supervisorScreen(shell) {
  return (view) => {
    const body = h('div', { class: 'supervisor' });
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
