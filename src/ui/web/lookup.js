import { api } from './api.js';
import { fill, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';
import { followOrder } from './order.js';
import { follow } from './payment.js';

/** A serial number (流水号) as the kiosk prints it. */
const SERIAL = {
  name: 'serial',
  zh: '流水号',
  en: 'Serial number',
  required: true,
  sensitive: null,
  entry: { keypad: /** @type {const} */ ('digits'), maxLength: 10 },
};

/**
 * "查询我的缴费": a customer types the serial from their screen or slip and sees where their payment
 * stands (masked, as the kiosk shows any transaction).
 * @param {string} [serial]
 * @returns {import('./shell.js').Screen}
 */
export function lookupScreen(serial = '') {
  return (view) => {
    view.step(null);
    let value = serial;
    const box = messageBox();
    const field = entryField(SERIAL, {
      value,
      onChange: (v) => {
        value = v;
        if (primary) primary.disabled = value.length === 0;
      },
    });
    fill(view.main, title('查询我的缴费', 'Look up my payment'), box, field.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '查询',
        en: 'Look up',
        disabled: value.length === 0,
        run: async () => {
          fill(box);
          try {
            const ref = value.length <= 10 ? value.padStart(10, '0') : value;
            const r = await api('GET', `/api/lookup/${encodeURIComponent(ref)}`);
            view.nav.go((v) =>
              r.transaction && !r.order
                ? follow(v, r.transaction, { operator: false, lookup: true })
                : followOrder(v, r.order, { lookup: true }),
            );
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            field.showErrors([
              err.status === 404
                ? { zh: '没有这个流水号或订单号，请核对', en: 'nothing has this number; please check it' }
                : { zh: err.zh, en: err.en },
            ]);
          }
        },
      },
    });
  };
}
