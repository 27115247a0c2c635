import { newKey } from './api.js';
import { bi, dl, fill, grouped, h, title } from './dom.js';
import { fieldScreen, stepsOf } from './flow.js';
import { entryOf } from './keypad.js';
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
              if (primary) primary.disabled = !ticked;
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
    const { primary } = view.bar({
      back: {
        zh: '返回修改',
        en: 'Back to edit',
        run: () => view.nav.go(fieldScreen(flow, names.length - 1)),
      },
      home: true,
      primary: {
        zh: flow.mode.operator ? '已收现金，确认办理' : '确认支付',
        en: flow.mode.operator ? 'Cash taken, confirm' : 'Confirm and pay',
        run: () => view.nav.go(paymentScreen(flow, quote, key, ticked)),
        disabled: Boolean(tickField),
      },
    });
  };
}
