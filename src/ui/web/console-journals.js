import { api } from './api.js';
import { askScreen, loadInto, TXN_HEADS, table, txnRow } from './console-kit.js';
import { txnScreen } from './console-txn.js';
import { bi, fill, h, title } from './dom.js';

/**
 * Journals: same-day (by business type and hhmmss window), history by date, special, game top-up
 * errors, and search by serial. A teller sees their own rows; a supervisor the station's.
 *
 * @typedef {{ kind: 'today' | 'history' | 'special' | 'game-errors', date?: string, service?: string,
 *   from?: string, to?: string }} Query
 */

/**
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function journalsScreen(shell) {
  return (view) => {
    const back = () => journalsScreen(shell);
    const items = [
      { id: 'today', zh: '当日流水', en: "Today's journal", go: () => journalView(shell, { kind: 'today' }) },
      {
        id: 'history',
        zh: '历史流水',
        en: 'History',
        go: () =>
          askScreen(
            { zh: '历史流水：账务日期', en: 'History: business date' },
            { name: 'date', zh: '日期 yyyymmdd', en: 'Date (yyyymmdd)', maxLength: 8 },
            { zh: '查看', en: 'Show' },
            async (d) => shell.nav.go(journalView(shell, { kind: 'history', date: d })),
            back,
          ),
      },
      {
        id: 'special',
        zh: '特殊流水',
        en: 'Special journal',
        go: () => journalView(shell, { kind: 'special' }),
      },
      {
        id: 'game-errors',
        zh: '充值差错查询',
        en: 'Game top-up errors',
        go: () => journalView(shell, { kind: 'game-errors' }),
      },
      {
        id: 'serial',
        zh: '按流水号查询',
        en: 'Search by serial',
        go: () =>
          askScreen(
            { zh: '按流水号查询', en: 'Search by serial' },
            { name: 'serial', zh: '流水号', en: 'Serial number' },
            { zh: '查询', en: 'Search' },
            async (s) => shell.nav.go(txnScreen(shell, s.padStart(10, '0'), back)),
            back,
          ),
      },
    ];
    fill(
      view.main,
      title('流水查询', 'Journals'),
      h(
        'div',
        { class: 'services console-menu' },
        ...items.map((it) =>
          h(
            'button',
            { type: 'button', class: 'tile', 'data-menu': it.id, onclick: () => view.nav.go(it.go()) },
            bi(it.zh, it.en),
          ),
        ),
      ),
    );
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
  };
}

const NAMES = {
  today: { zh: '当日流水', en: "Today's journal" },
  history: { zh: '历史流水', en: 'History' },
  special: { zh: '特殊流水', en: 'Special journal' },
  'game-errors': { zh: '充值差错查询', en: 'Game top-up errors' },
};

/**
 * @param {import('./shell.js').Shell} shell
 * @param {Query} q
 * @returns {import('./shell.js').Screen}
 */
export function journalView(shell, q) {
  return (view) => {
    const body = h('div', { class: 'journal' });
    const name = NAMES[q.kind];
    const window = q.from && q.to ? ` ${q.from}–${q.to}` : '';
    fill(
      view.main,
      title(
        `${name.zh}${q.date ? ` ${q.date}` : ''}${window}`,
        `${name.en}${q.date ? ` ${q.date}` : ''}${window}`,
      ),
      body,
    );
    const filters = q.kind === 'today' || q.kind === 'history';
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(journalsScreen(shell)) },
      home: true,
      extra: filters
        ? [
            {
              zh: '业务类型',
              en: 'Service',
              id: 'act-service',
              run: () => view.nav.go(serviceChooser(shell, q)),
            },
            {
              zh: '时间段',
              en: 'Time window',
              id: 'act-window',
              run: () => view.nav.go(windowAsk(shell, q, 'from')),
            },
          ]
        : [],
    });
    const params = new URLSearchParams();
    if (q.date) params.set('date', q.date);
    if (q.service) params.set('service', q.service);
    if (q.from && q.to) {
      params.set('from', q.from);
      params.set('to', q.to);
    }
    void loadInto(body, async () => {
      const r = await api('GET', `/api/journal/${q.kind}?${params}`);
      const rows = r.rows ?? [];
      return [
        h('p', { 'data-k': 'count' }, bi(`共 ${rows.length} 笔`, `${rows.length} transactions`)),
        rows.length
          ? table(
              [...TXN_HEADS, { zh: '', en: '' }],
              rows.map((/** @type {import('./console-kit.js').Txn} */ t) => [
                ...txnRow(t),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-open': t.serial,
                    onclick: () => view.nav.go(txnScreen(shell, t.serial, () => journalView(shell, q))),
                  },
                  bi('查看', 'Open'),
                ),
              ]),
              'journal-rows',
            )
          : h('p', {}, bi('没有记录', 'Nothing found')),
      ];
    });
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {Query} q
 * @returns {import('./shell.js').Screen}
 */
function serviceChooser(shell, q) {
  return (view) => {
    const list = h('div', { class: 'options' }, h('p', {}, bi('正在加载…', 'Loading…')));
    fill(view.main, title('选择业务类型', 'Choose the service'), list);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(journalView(shell, q)) } });
    void api('GET', '/api/services').then((r) =>
      fill(
        list,
        h(
          'button',
          {
            type: 'button',
            class: 'option',
            'data-value': '',
            onclick: () => view.nav.go(journalView(shell, { ...q, service: undefined })),
          },
          bi('全部业务', 'All'),
        ),
        ...r.services.map((/** @type {any} */ s) =>
          h(
            'button',
            {
              type: 'button',
              class: 'option',
              'data-value': s.id,
              'aria-pressed': String(q.service === s.id),
              onclick: () => view.nav.go(journalView(shell, { ...q, service: s.id })),
            },
            bi(s.title.zh, s.title.en),
          ),
        ),
      ),
    );
  };
}

/**
 * @param {import('./shell.js').Shell} shell
 * @param {Query} q
 * @param {'from' | 'to'} which
 * @returns {import('./shell.js').Screen}
 */
function windowAsk(shell, q, which) {
  return askScreen(
    which === 'from'
      ? { zh: '时间段：开始 hhmmss', en: 'Window: from hhmmss' }
      : { zh: '时间段：结束 hhmmss', en: 'Window: to hhmmss' },
    {
      name: which,
      zh: which === 'from' ? '开始时间 hhmmss' : '结束时间 hhmmss',
      en: which === 'from' ? 'From (hhmmss)' : 'To (hhmmss)',
      maxLength: 6,
    },
    { zh: which === 'from' ? '下一步' : '查看', en: which === 'from' ? 'Next' : 'Show' },
    async (v) =>
      shell.nav.go(
        which === 'from' ? windowAsk(shell, { ...q, from: v }, 'to') : journalView(shell, { ...q, to: v }),
      ),
    () => journalView(shell, q),
    q[which] ?? '',
  );
}
