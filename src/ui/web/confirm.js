import { newKey } from './api.js';
import { bi, dl, fill, grouped, h, title } from './dom.js';
import { fieldScreen, stepsOf } from './flow.js';
import { entryOf } from './keypad.js';
import { orderScreen } from './order.js';
import { paymentScreen } from './payment.js';

/**
 * Everything the customer is about to pay for, before anything happens: the full number they
 * typed (they are the one looking; receipts and logs stay masked), what they chose by name, the
 * biller's name for the account, amount, fee and total. A service that cannot be undone (game
 * top-up) also needs the tick. The request's idempotency key is made here, once per confirmation.
 *
 * @param {import('./flow.js').Flow} flow
 * @param {{ amount: string, fee: string, total: string, fields: Record<string, string> }} quote
 * @returns {import('./shell.js').Screen}
 */
export function confirmScreen(flow, quote) {
  return (view) => {
    const { service, values, labels } = flow;
    const key = newKey();
    view.step(2);
    const tickField = service.fields.find((f) => entryOf(f).keypad === 'confirm');
    let ticked = false;
    /** @type {Array<[{ zh: string, en: string }, string, string?]>} */
    const rows = [[{ zh: '业务', en: 'Service' }, service.title.zh, 'service']];
    for (const f of service.fields) {
      const v = values[f.name];
      if (!v || f.name === 'amount' || entryOf(f).keypad === 'confirm') continue;
      const shown =
        labels[f.name] ?? (entryOf(f).keypad === 'choice' ? v : grouped(v, f.sensitive === 'phone'));
      rows.push([{ zh: f.zh, en: f.en }, shown, f.name]);
    }
    // The card's numbers as the reader gave them: masked (the full ones never leave the kiosk).
    for (const f of service.fields) {
      const shown = f.fromCard && flow.card?.card[/** @type {'customerNo' | 'cardSerial'} */ (f.name)];
      if (shown) rows.push([{ zh: f.zh, en: f.en }, shown, f.name]);
    }
    if (typeof flow.answer?.name === 'string')
      rows.push([{ zh: '户名', en: 'Name' }, flow.answer.name, 'name']);
    const money = dl(
      [
        [{ zh: '金额', en: 'Amount' }, `￥${quote.amount}`, 'amount'],
        [{ zh: '手续费', en: 'Fee' }, `￥${quote.fee}`, 'fee'],
        [{ zh: '合计', en: 'Total' }, `￥${quote.total}`, 'total'],
      ],
      'quote money-box',
    );
    const tick = tickField
      ? h(
          'button',
          {
            type: 'button',
            id: 'confirm-tick',
            class: 'tick',
            role: 'checkbox',
            'aria-checked': 'false',
            onclick: () => {
              ticked = !ticked;
              tick?.setAttribute('aria-checked', String(ticked));
              const bar = /** @type {NodeListOf<HTMLButtonElement>} */ (
                view.nav.view.main.ownerDocument.querySelectorAll('#bar .btn:not(#act-back):not(#act-home)')
              );
              for (const b of bar) b.disabled = !ticked;
            },
          },
          h('span', { class: 'tick-box', 'aria-hidden': 'true' }),
          bi(
            '我已核对账号与套餐：充值成功后不能撤销',
            'I have checked the account and package: it cannot be reversed',
          ),
        )
      : null;
    fill(
      view.main,
      title('请核对后确认', 'Please check, then confirm'),
      h(
        'div',
        { class: 'confirm-grid' },
        dl(rows, 'quote details'),
        h('div', { class: 'confirm-side' }, money, tick),
      ),
    );
    const { names } = stepsOf(service);
    const back = {
      zh: '返回修改',
      en: 'Back to edit',
      run: () => view.nav.go(fieldScreen(flow, names.length - 1)),
    };
    if (flow.mode.operator) {
      view.bar({
        back,
        home: true,
        primary: {
          zh: '已收现金，确认办理',
          en: 'Cash taken, confirm',
          run: () => view.nav.go(paymentScreen(flow, quote, key, ticked)),
          disabled: Boolean(tickField),
        },
      });
      return;
    }
    // Money that does not come from the station (a debit card repaying a credit card) needs no
    // tender: the confirmed request is sent as it is.
    if (service.funding === 'none') {
      view.bar({
        back,
        home: true,
        primary: {
          zh: '确认办理',
          en: 'Confirm',
          id: 'act-primary',
          run: () => view.nav.go(paymentScreen(flow, quote, key, ticked)),
          disabled: Boolean(tickField),
        },
      });
      return;
    }
    // A customer pays first: at the counter, or by QR where the station takes it.
    const tenders = flow.mode.tenders?.length ? flow.mode.tenders : ['counter'];
    const label = (/** @type {string} */ t) =>
      t === 'qr'
        ? { zh: '确认，扫码支付', en: 'Confirm, pay by QR' }
        : { zh: '确认，到柜台付款', en: 'Confirm, pay at the counter' };
    const [first, ...others] = tenders;
    view.bar({
      back,
      home: true,
      extra: others.map((t) => ({
        ...label(t),
        id: `act-tender-${t}`,
        run: () => view.nav.go(orderScreen(flow, quote, key, ticked, /** @type {'counter' | 'qr'} */ (t))),
        disabled: Boolean(tickField),
      })),
      primary: {
        ...label(String(first)),
        id: 'act-primary',
        run: () =>
          view.nav.go(orderScreen(flow, quote, key, ticked, /** @type {'counter' | 'qr'} */ (first))),
        disabled: Boolean(tickField),
      },
    });
  };
}
