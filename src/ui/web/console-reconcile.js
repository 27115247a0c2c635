import { api } from './api.js';
import { loadInto, table } from './console-kit.js';
import { bi, fill, h, messageBox, title } from './dom.js';

/** Differences on one page: they fit above the action bar at 800×480 (the page buttons sit by the title). */
const PAGE = 4;

const KIND = {
  'missing-at-kiosk': { zh: '本亭无', en: 'Not here' },
  'missing-at-unionpay': { zh: '银联无', en: 'Not at UnionPay' },
  'amount-differs': { zh: '金额不符', en: 'Amount differs' },
};

/**
 * Credit-card reconciliation (信用卡对账, supervisor): the UnionPay statements found in the
 * statements folders and on a USB stick, one button each; a tap reconciles it against the journal.
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function reconcileScreen(shell, back) {
  return (view) => {
    const body = h('div', { class: 'reports', 'data-k': 'statements' });
    fill(view.main, title('信用卡对账', 'Credit card reconciliation'), body);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) }, home: true });
    void loadInto(body, async () => {
      const r = await api('GET', '/api/reports/statements');
      if (r.statements.length === 0)
        return h(
          'p',
          { 'data-k': 'none' },
          bi('没有找到对账文件，请插入 U 盘', 'No statement found; insert the USB stick'),
        );
      return h(
        'div',
        { class: 'choice-row' },
        ...r.statements.map((/** @type {{ id: string, name: string, kind: string, size: number }} */ f) =>
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-statement': f.id,
              onclick: () => view.nav.go(resultScreen(shell, f.id, 0, back)),
            },
            bi(`${f.kind === 'media' ? 'U盘 ' : ''}${f.name}`, `${Math.ceil(f.size / 1024)} KB`),
          ),
        ),
      );
    });
  };
}

/**
 * One statement reconciled: counts per kind, a page of differences, print and export.
 * @param {import('./shell.js').Shell} shell
 * @param {string} id
 * @param {number} offset
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
function resultScreen(shell, id, offset, back) {
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'reports' });
    const pager = h('div', { class: 'pager' });
    fill(
      view.main,
      h('div', { class: 'screen-head' }, title('对账结果', 'Reconciliation'), pager),
      box,
      body,
    );
    /** @param {string} path @param {(r: any) => [string, string]} say */
    const act = (path, say) => async () => {
      try {
        const [zh, en] = say(await api('POST', `/api/reports/statements/${id}/${path}`, {}));
        fill(box, h('p', { class: 'ok', 'data-k': path === 'print' ? 'printed' : 'exported' }, bi(zh, en)));
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
    };
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(reconcileScreen(shell, back)) },
      extra: [
        {
          zh: '导出差异',
          en: 'Export',
          id: 'act-export-recon',
          run: act('export', (r) => [`已导出 ${r.file}`, `Written to ${r.file}`]),
        },
      ],
      primary: {
        zh: '打印差异',
        en: 'Print',
        id: 'act-print-recon',
        run: act('print', (r) => [
          r.printed === null ? '未接打印机' : `打印：${r.printed.outcome}`,
          r.printed === null ? 'No printer' : `Printer: ${r.printed.outcome}`,
        ]),
      },
    });
    void loadInto(body, async () => {
      const r = await api('GET', `/api/reports/statements/${id}/reconcile?offset=${offset}&limit=${PAGE}`);
      const c = r.counts;
      // Both page buttons stay in place; the one leading past an end is disabled.
      const page = (
        /** @type {number} */ at,
        /** @type {boolean} */ open,
        /** @type {string} */ k,
        /** @type {string} */ zh,
        /** @type {string} */ en,
      ) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            'data-k': k,
            disabled: !open,
            onclick: () => view.nav.go(resultScreen(shell, id, at, back)),
          },
          bi(zh, en),
        );
      const pages = Math.ceil(c.differences / PAGE);
      const at = Math.floor(offset / PAGE) + 1;
      if (pages > 1)
        fill(
          pager,
          page(Math.max(0, offset - PAGE), offset > 0, 'prev-page', '上一页', 'Previous'),
          h('span', { 'data-k': 'page' }, bi(`第 ${at}/${pages} 页`, `page ${at} of ${pages}`)),
          page(offset + PAGE, offset + PAGE < c.differences, 'next-page', '下一页', 'Next page'),
        );
      return [
        h(
          'p',
          { 'data-k': 'counts' },
          bi(
            `${r.from}至${r.to} 共${r.rows}笔：相符 ${c.matched}，本亭无 ${c.missingAtKiosk}，银联无 ${c.missingAtUnionpay}，金额不符 ${c.amountDiffers}`,
            `${r.rows} lines: ${c.matched} matched, ${c.differences} differences`,
          ),
        ),
        table(
          [
            { zh: '差异', en: 'Kind' },
            { zh: '流水号', en: 'Serial' },
            { zh: '卡号', en: 'Card' },
            { zh: '银联', en: 'UnionPay' },
            { zh: '本亭', en: 'Kiosk' },
          ],
          r.differences.map((/** @type {any} */ d) => [
            KIND[/** @type {keyof typeof KIND} */ (d.kind)].zh,
            h('span', { class: 'serial', text: d.serial }),
            d.card ?? '',
            d.unionpay ?? '—',
            `${d.kiosk ?? '—'}${d.kioskStatus ? ` ${d.kioskStatus}` : ''}`,
          ]),
          'differences',
        ),
      ];
    });
  };
}
