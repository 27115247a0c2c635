import { api } from './api.js';
import { shanghaiDate, table } from './console-kit.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * The station's prepaid balance (operators only): balance, held, available, the low-balance
 * warning, and the ledger over a range of business dates with its movement (opening, top-ups,
 * consumption, reversal credits, adjustments, refunds, closing).
 * @param {import('./shell.js').Shell} _shell
 * @param {{ from?: string, to?: string, after?: string, group?: string }} [range] `after`: the page
 *   cursor; `group`: one kind of entry (the API's ledger views), all when absent
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
    const page = (range.after ? `&after=${range.after}` : '') + (range.group ? `&group=${range.group}` : '');
    const q =
      range.from && range.to ? `?from=${range.from}&to=${range.to}&limit=100${page}` : `?limit=50${page}`;
    const groupChips = h(
      'div',
      { class: 'chips', role: 'group', 'aria-label': '明细类别 Kind of entries' },
      ...GROUPS.map((g) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            'data-group': g.id,
            'aria-pressed': String((range.group ?? '') === g.id),
            onclick: () =>
              view.nav.go(
                balanceScreen(_shell, { from: range.from, to: range.to, group: g.id || undefined }),
              ),
          },
          bi(g.zh, g.en),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'chip',
          'data-k': 'print',
          onclick: () =>
            api('POST', '/api/balance/print', {
              ...(range.from && range.to
                ? { from: range.from, to: range.to, limit: '100' }
                : { limit: '50' }),
              ...(range.group ? { group: range.group } : {}),
            }).then(
              (r) =>
                fill(
                  box,
                  r.printed?.outcome === 'printed'
                    ? h('p', { class: 'ok', 'data-k': 'printed' }, bi('明细已打印', 'Ledger printed'))
                    : r.printed?.outcome === 'queued'
                      ? h(
                          'p',
                          { class: 'warn', 'data-k': 'print-queued' },
                          bi(
                            '打印机未就绪，明细已排队，恢复后自动打印',
                            'Printer not ready; queued to print when it is back',
                          ),
                        )
                      : h(
                          'p',
                          { class: 'error', 'data-k': 'not-printed' },
                          bi('本机没有打印机', 'No printer on this kiosk'),
                        ),
                ),
              (e) => fill(box, h('p', { class: 'error' }, bi(e.zh, e.en))),
            ),
        },
        bi('打印明细', 'Print'),
      ),
    );
    api('GET', `/api/balance${q}`).then(
      (r) => {
        const entries = r.entries ?? [];
        const m = r.movement;
        /** @type {Array<[{ zh: string, en: string }, string, string?]>} */
        const moves = m
          ? [
              [{ zh: '期初', en: 'Opening' }, `￥${m.opening}`, 'opening'],
              [{ zh: '续费（充值）', en: 'Top-ups' }, `￥${m.topups}`, 'topups'],
              [{ zh: '交易消费', en: 'Consumption' }, `￥${m.consumption}`, 'consumption'],
              [{ zh: '撤销退回', en: 'Reversal credits' }, `￥${m.reversalCredits}`, 'reversalCredits'],
              [{ zh: '调账', en: 'Adjustments' }, `￥${m.adjustments}`, 'adjustments'],
              [{ zh: '退款', en: 'Refunds' }, `￥${m.refunds}`, 'refunds'],
              [{ zh: '期末', en: 'Closing' }, `￥${m.closing}`, 'closing'],
            ]
          : [];
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
          r.low
            ? h(
                'p',
                { class: 'warn', 'data-k': 'low' },
                bi(
                  `可用余额低于 ${r.lowWarning} 元，请尽快续费`,
                  `Available balance below ${r.lowWarning} yuan; top it up soon`,
                ),
              )
            : null,
          h(
            'h2',
            { 'data-k': 'range' },
            m
              ? bi(
                  `明细 ${range.from} – ${range.to}（${r.count} 条）`,
                  `Ledger ${range.from} – ${range.to} (${r.count})`,
                )
              : bi(`最近明细（${entries.length} 条）`, `Latest entries (${entries.length})`),
          ),
          groupChips,
          m ? dl(moves, 'quote compact movement') : null,
          table(
            [
              { zh: '日期', en: 'Date' },
              { zh: '类别', en: 'Kind' },
              { zh: '变动', en: 'Change' },
              { zh: '余额', en: 'After' },
              { zh: '流水号', en: 'Serial' },
            ],
            entries.map((/** @type {any} */ e) => [
              shanghaiDate(e.at),
              e.kindLabel?.zh ?? e.kind,
              e.delta,
              e.balanceAfter,
              e.serial ?? e.ref ?? '',
            ]),
            'ledger',
          ),
          r.next
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'chip',
                  'data-k': 'next-page',
                  onclick: () => view.nav.go(balanceScreen(_shell, { ...range, after: r.next })),
                },
                bi('下一页', 'Next page'),
              )
            : null,
        );
      },
      (e) => fill(box, h('p', { class: 'error' }, bi(e.zh, e.en))),
    );
  };
}

/** The ledger views a supervisor or teller can narrow the list to ('' = every entry). */
const GROUPS = [
  { id: '', zh: '全部', en: 'All' },
  { id: 'topups', zh: '续费', en: 'Top-ups' },
  { id: 'consumption', zh: '消费', en: 'Consumption' },
  { id: 'reversalCredits', zh: '撤销退回', en: 'Reversals' },
  { id: 'adjustments', zh: '调账', en: 'Adjustments' },
  { id: 'refunds', zh: '退款', en: 'Refunds' },
];

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
    // Each date is typed afresh; a new range starts at its first page.
    const next = { from: range.from, to: range.to, [which]: '' };
    const f = entryField(
      which === 'from'
        ? DATE('from', '开始日期 yyyymmdd', 'From (yyyymmdd)')
        : DATE('to', '结束日期 yyyymmdd', 'To (yyyymmdd)'),
      {
        value: '',
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
        disabled: true,
        run: () =>
          view.nav.go(which === 'from' ? rangeScreen(shell, next, 'to') : balanceScreen(shell, next)),
      },
    });
  };
}
