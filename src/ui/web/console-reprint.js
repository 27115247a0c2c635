import { api } from './api.js';
import { askScreen, loadInto } from './console-kit.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';

/**
 * Receipt reprint (补打收据): the serial, then the receipt as the printer would print it, marked as
 * a reprint, and the print.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function reprintScreen(shell) {
  return askScreen(
    { zh: '补打收据：输入流水号', en: 'Reprint: enter the serial number' },
    { name: 'serial', zh: '流水号', en: 'Serial number' },
    { zh: '查看收据', en: 'Show receipt' },
    async (serial) => shell.nav.go(reprintView(shell, serial.padStart(10, '0'), () => reprintScreen(shell))),
    () => shell.homeScreen(),
  );
}

/**
 * @param {import('./shell.js').Shell} _shell
 * @param {string} serial
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function reprintView(_shell, serial, back) {
  return (view) => {
    const box = messageBox();
    const paper = h('div', { class: 'paper', 'data-k': 'receipt' });
    fill(view.main, title(`补打收据 ${serial}`, `Reprint ${serial}`), box, paper);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) }, home: true });
    void loadInto(paper, async () => {
      const r = await api('GET', `/api/transactions/${encodeURIComponent(serial)}/receipt`);
      view.bar({
        back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
        home: true,
        primary: {
          zh: '打印补打收据',
          en: 'Print the reprint',
          id: 'act-print',
          run: async () => {
            try {
              await api('POST', `/api/transactions/${encodeURIComponent(serial)}/reprint`, {});
              fill(
                box,
                h(
                  'p',
                  { class: 'ok', 'data-k': 'printed' },
                  bi('已送打印机（标注“补打”）', 'Sent to the printer, marked as a reprint'),
                ),
              );
            } catch (e) {
              const err = /** @type {import('./api.js').ApiError} */ (e);
              fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
            }
          },
        },
      });
      return [
        h('p', { class: 'paper-title' }, `${r.title?.zh ?? ''}${r.reprint ? '（补打）' : ''}`),
        dl(
          [
            [{ zh: '流水号', en: 'Serial' }, r.serial],
            ...(r.lines ?? []).map(
              (/** @type {{ label: string, value: string }} */ l) =>
                /** @type {[{ zh: string, en: string }, string]} */ ([{ zh: l.label, en: '' }, l.value]),
            ),
            [{ zh: '合计', en: 'Total' }, `￥${r.total ?? ''}`, 'total'],
          ],
          'quote receipt-lines',
        ),
      ];
    });
  };
}
