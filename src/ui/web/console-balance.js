import { api } from './api.js';
import { shanghaiDate, table } from './console-kit.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * The station's prepaid balance (operators only): balance, held, available, the low-balance
 * warning, and the ledger over a date range (yyyymmdd, Asia/Shanghai) with totals by kind.
 * @param {import('./shell.js').Shell} _shell
 * @param {{ from?: string, to?: string }} [range]
 * @returns {import('./shell.js').Screen}
 */
export function balanceScreen(_shell, range = {}) {
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'balance' }, h('p', { class: 'busy' }, bi('正在加载…', 'Loading…')));
    fill(view.main, title('余额与明细', 'Balance and ledger'), box, body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '选择日期范围',
        en: 'Date range',
        id: 'act-range',
        run: () => view.nav.go(rangeScreen(_shell, range)),
      },
    });
    api('GET', '/api/balance?limit=2000').then(
      (r) => {
        const from = range.from ?? '00000000';
        const to = range.to ?? '99999999';
        const entries = (r.entries ?? []).filter((/** @type {any} */ e) => {
          const d = shanghaiDate(e.at);
          return d >= from && d <= to;
        });
        /** @type {Record<string, { zh: string, en: string, n: number, fen: number }>} */
        const sums = {};
        for (const e of entries) {
          const k = e.kindLabel?.zh ?? e.kind;
          sums[k] ??= { zh: k, en: e.kindLabel?.en ?? e.kind, n: 0, fen: 0 };
          const s = sums[k];
          s.n += 1;
          s.fen += Math.round(Number(e.delta) * 100);
        }
        const low = r.low === true || r.lowWarning === true || r.belowWarning === true;
        fill(
          body,
          dl(
            [
              [{ zh: '余额', en: 'Balance' }, `￥${r.balance}`, 'balance'],
              [{ zh: '冻结', en: 'Held' }, `￥${r.held}`, 'held'],
              [{ zh: '可用', en: 'Available' }, `￥${r.available}`, 'available'],
            ],
            'quote compact',
          ),
          low
            ? h(
                'p',
                { class: 'warn', 'data-k': 'low' },
                bi('可用余额偏低，请尽快充值', 'The available balance is low; top it up soon'),
              )
            : null,
          h(
            'h2',
            { 'data-k': 'range' },
            bi(
              `明细 ${range.from ?? '最早'} – ${range.to ?? '今天'}（${entries.length} 条）`,
              `Ledger ${range.from ?? 'first'} – ${range.to ?? 'today'} (${entries.length})`,
            ),
          ),
          table(
            [
              { zh: '类别', en: 'Kind' },
              { zh: '笔数', en: 'Count' },
              { zh: '金额变动', en: 'Change' },
            ],
            Object.values(sums).map((s) => [s.zh, String(s.n), (s.fen / 100).toFixed(2)]),
            'sums',
          ),
          table(
            [
              { zh: '日期', en: 'Date' },
              { zh: '类别', en: 'Kind' },
              { zh: '变动', en: 'Change' },
              { zh: '余额', en: 'After' },
              { zh: '流水号', en: 'Serial' },
            ],
            entries
              .slice(0, 100)
              .map((/** @type {any} */ e) => [
                shanghaiDate(e.at),
                e.kindLabel?.zh ?? e.kind,
                e.delta,
                e.balanceAfter,
                e.serial ?? e.ref ?? '',
              ]),
            'ledger',
          ),
        );
      },
      (e) => fill(box, h('p', { class: 'error' }, bi(e.zh, e.en))),
    );
  };
}

const DATE = (/** @type {string} */ name, /** @type {string} */ zh, /** @type {string} */ en) => ({
  name,
  zh,
  en,
  required: true,
  sensitive: null,
  entry: { keypad: /** @type {const} */ ('digits'), maxLength: 8 },
});

/**
 * The range's two dates, each on the keypad.
 * @param {import('./shell.js').Shell} shell
 * @param {{ from?: string, to?: string }} range
 * @param {'from' | 'to'} [which]
 * @returns {import('./shell.js').Screen}
 */
function rangeScreen(shell, range, which = 'from') {
  return (view) => {
    const next = { ...range };
    const f = entryField(
      which === 'from'
        ? DATE('from', '开始日期 yyyymmdd', 'From (yyyymmdd)')
        : DATE('to', '结束日期 yyyymmdd', 'To (yyyymmdd)'),
      {
        value: next[which] ?? '',
        onChange: (v) => {
          next[which] = v;
          if (primary) primary.disabled = v.length !== 8;
        },
      },
    );
    fill(view.main, title('明细日期范围', 'Ledger date range'), f.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(balanceScreen(shell, range)) },
      primary: {
        zh: which === 'from' ? '下一步' : '查看',
        en: which === 'from' ? 'Next' : 'Show',
        disabled: (next[which] ?? '').length !== 8,
        run: () =>
          view.nav.go(which === 'from' ? rangeScreen(shell, next, 'to') : balanceScreen(shell, next)),
      },
    });
  };
}
