import { api } from './api.js';
import { askScreen, fetchTxn } from './console-kit.js';
import { bi, biOf, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';
import { follow } from './payment.js';

/**
 * Reversal (撤销): the serial, then the original number and amount entered again (they must equal
 * the original's); a refusal is explained with the rules it follows.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function reverseScreen(shell) {
  return askScreen(
    { zh: '撤销：输入流水号', en: 'Reversal: enter the serial number' },
    { name: 'serial', zh: '原交易流水号', en: 'Original serial number' },
    { zh: '下一步', en: 'Next' },
    async (serial, _box, field) => {
      try {
        const t = await fetchTxn(serial);
        const svc = await api('GET', `/api/services/${encodeURIComponent(t.service)}`);
        const rev = (svc.actions ?? []).find((/** @type {any} */ a) => a.name === 'reverse');
        shell.nav.go(
          rev
            ? reverseConfirm(shell, t, svc, rev)
            : refusedScreen(shell, t, {
                zh: `${t.serviceName.zh}不能撤销`,
                en: `a ${t.serviceName.en} cannot be reversed`,
              }),
        );
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        field.showErrors([{ zh: err.zh, en: err.en }]);
      }
    },
    () => shell.homeScreen(),
  );
}

/**
 * Each confirm field of the reversal on its keypad, one after another, then the request.
 * @param {import('./shell.js').Shell} shell
 * @param {any} t the original transaction (masked)
 * @param {any} svc its service
 * @param {{ name: string, confirmFields: string[] }} action
 * @param {number} [i]
 * @param {Record<string, string>} [values]
 * @returns {import('./shell.js').Screen}
 */
export function reverseConfirm(shell, t, svc, action, i = 0, values = {}) {
  return (view) => {
    const name = /** @type {string} */ (action.confirmFields[i]);
    const f = svc.fields.find((/** @type {any} */ x) => x.name === name);
    const box = messageBox();
    const field = entryField(
      { ...f, zh: `再次输入原${f.zh}`, en: `Enter the original ${f.en} again` },
      {
        value: values[name] ?? '',
        onChange: (v) => {
          values[name] = v;
          if (primary) primary.disabled = !v;
        },
      },
    );
    fill(
      view.main,
      title(`撤销 ${t.serial}`, `Reverse ${t.serial}`),
      dl(
        [
          [{ zh: '业务', en: 'Service' }, t.serviceName.zh],
          [{ zh: '原交易', en: 'Original' }, `${t.businessDate} ${t.time} ￥${t.total} ${t.stateLabel.zh}`],
        ],
        'quote compact',
      ),
      box,
      field.el,
    );
    const last = i === action.confirmFields.length - 1;
    const { primary } = view.bar({
      back: {
        zh: '返回',
        en: 'Back',
        run: () =>
          view.nav.go(i === 0 ? reverseScreen(shell) : reverseConfirm(shell, t, svc, action, i - 1, values)),
      },
      home: true,
      primary: {
        zh: last ? '确认撤销' : '下一步',
        en: last ? 'Reverse' : 'Next',
        disabled: !values[name],
        run: async () => {
          if (!last) return view.nav.go(reverseConfirm(shell, t, svc, action, i + 1, values));
          try {
            const r = await api('POST', `/api/transactions/${t.serial}/actions/${action.name}`, values);
            view.nav.go((v) => follow(v, r, { operator: true }));
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            const mine = err.issues.filter((p) => p.field === name);
            if (mine.length > 0 && err.code !== 'KIOSK_E_ACTION_NOT_ALLOWED') field.showErrors(mine);
            else view.nav.go(refusedScreen(shell, t, { zh: err.zh, en: err.en }));
          }
        },
      },
    });
  };
}

/** What the seed's rules allow, shown with every refusal so the operator can tell the customer. */
const RULES = [
  {
    zh: '只能撤销当日（日切前）流水中的交易；日切后不能撤销前一日的交易。',
    en: "Only today's transactions (before the day cut) can be reversed.",
  },
  {
    zh: '移动直充 20:00–22:00 不受理撤销；号码欠费超过 20 元不能撤销；结果未确定的交易须先查询确认。',
    en: 'Mobile top-up: no reversals 20:00–22:00; not when the number owes more than 20 yuan; not before the result is known.',
  },
  {
    zh: '游戏充值、公交卡充值、卡折充值不能撤销。',
    en: 'Game, bus card and debit card top-ups cannot be reversed.',
  },
  {
    zh: '撤销须再次输入原号码与原金额，必须与原交易一致。',
    en: 'The original number and amount must be entered again and match.',
  },
];

/**
 * @param {import('./shell.js').Shell} shell
 * @param {any} t
 * @param {{ zh: string, en: string }} reason
 * @returns {import('./shell.js').Screen}
 */
function refusedScreen(shell, t, reason) {
  return (view) => {
    fill(
      view.main,
      h(
        'h1',
        { class: 'outcome failed', 'data-outcome': 'reversal-refused', tabindex: '-1' },
        bi('不能撤销', 'Reversal refused'),
      ),
      h('p', { class: 'reason', 'data-k': 'reason' }, biOf(reason)),
      h('p', {}, bi(`原交易 ${t.serial} 没有变化。`, `Transaction ${t.serial} is unchanged.`)),
      h('h2', {}, bi('撤销规则', 'Reversal rules')),
      h('ul', { class: 'rules' }, ...RULES.map((r) => h('li', {}, biOf(r)))),
    );
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(reverseScreen(shell)) }, home: true });
  };
}
