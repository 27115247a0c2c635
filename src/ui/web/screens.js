import { ApiError, api } from './api.js';
import { bi, button, fill, h } from './dom.js';
import { CONFIRM_FIELD, FieldForm, showError } from './form.js';
import { answerView } from './inquiry.js';
import { resultScreen } from './result.js';

/**
 * @typedef {{ id: string, title: { zh: string, en: string }, enabled: boolean, selfService: boolean,
 *   fee: string, fields: import('./form.js').FieldView[], schema: Record<string, any>,
 *   inquiry: { fields: string[] } | null }} ServiceView
 * @typedef {(el: HTMLElement) => void | (() => void)} Screen a screen draws itself; it may return a clean-up
 * @typedef {{ go: (s: Screen) => void, home: () => void }} Nav
 */

/**
 * @param {string} zh
 * @param {string} en
 */
const title = (zh, en) => h('h1', {}, bi(zh, en));
const messageBox = () => h('div', { class: 'messages', role: 'alert' });

/**
 * Home: the services a customer may use alone (self-service allowed and enabled here).
 * @param {Nav} nav
 * @returns {Screen}
 */
export function homeScreen(nav) {
  return (el) => {
    const grid = h('div', { class: 'services' }, h('p', {}, bi('正在加载…', 'Loading…')));
    const box = messageBox();
    fill(el, title('请选择服务', 'Choose a service'), box, grid);
    api('GET', '/api/services')
      .then((/** @type {{ services: ServiceView[] }} */ r) => {
        const usable = r.services.filter((s) => s.selfService && s.enabled);
        fill(
          grid,
          usable.length === 0
            ? h('p', {}, bi('暂无可自助办理的业务', 'No self-service available now'))
            : null,
          ...usable.map((s) =>
            h(
              'button',
              {
                type: 'button',
                class: 'tile',
                'data-service': s.id,
                onclick: () => nav.go(serviceScreen(nav, s)),
              },
              bi(s.title.zh, s.title.en),
            ),
          ),
        );
      })
      .catch((/** @type {ApiError} */ e) => {
        fill(grid);
        showError(e, box, []);
      });
  };
}

/**
 * A service's form, generated from its fields. With an inquiry, the look-up fields come first and
 * the rest appear with the biller's answer.
 * @param {Nav} nav
 * @param {ServiceView} service
 * @param {Record<string, string>} [values]
 * @param {{ answer: Record<string, any> | null, error?: ApiError }} [resume] back from the quote:
 *   the look-up's answer, and a refusal to show next to its fields
 * @returns {Screen}
 */
export function serviceScreen(nav, service, values = {}, resume) {
  return (el) => {
    const box = messageBox();
    const lookupNames = service.inquiry?.fields ?? [];
    const restNames = service.fields
      .map((f) => f.name)
      .filter((n) => n !== CONFIRM_FIELD && !lookupNames.includes(n));
    const lookupForm = new FieldForm(service, lookupNames, values);
    const rest = h('div', { class: 'rest' });
    /** @type {FieldForm | null} */
    let restForm = null;
    const actions = h('div', { class: 'actions' });
    const forms = () => [lookupForm, ...(restForm ? [restForm] : [])];
    /** @type {Record<string, any> | null} */
    let answer = null;

    const next = async () => {
      for (const f of forms()) f.clear();
      fill(box);
      const body = quoteBody(service, values);
      try {
        const quote = await api('POST', `/api/services/${service.id}/quote`, body);
        nav.go(quoteScreen(nav, service, values, quote, answer));
      } catch (e) {
        showError(/** @type {ApiError} */ (e), box, forms());
      }
    };
    const showRest = (/** @type {Record<string, any> | null} */ found) => {
      answer = found;
      restForm = new FieldForm(service, restNames, values);
      fill(rest, found ? answerView(found, restForm) : null, restForm.el);
      fill(
        actions,
        button('返回', 'Back', nav.home, 'secondary'),
        service.inquiry && lookupNames.length > 0
          ? button(
              '重新查询',
              'Look up again',
              () => nav.go(serviceScreen(nav, service, values)),
              'secondary',
            )
          : null,
        button('下一步', 'Next', next, 'primary next'),
      );
    };
    const lookup = async () => {
      lookupForm.clear();
      fill(box, h('p', { class: 'busy' }, bi('正在查询…', 'Looking up…')));
      try {
        const body = Object.fromEntries(lookupNames.map((n) => [n, values[n] ?? '']));
        const r = await api('POST', `/api/services/${service.id}/inquiry`, body);
        fill(box);
        lookupForm.lock(true);
        showRest(r.answer ?? {});
      } catch (e) {
        fill(box);
        showError(/** @type {ApiError} */ (e), box, [lookupForm]);
      }
    };

    fill(el, title(service.title.zh, service.title.en), box, lookupForm.el, rest, actions);
    if (!service.inquiry || resume) {
      if (service.inquiry) lookupForm.lock(true);
      showRest(resume?.answer ?? null);
      if (resume?.error) showError(resume.error, box, forms());
    } else if (lookupNames.length === 0) {
      fill(actions, button('返回', 'Back', nav.home, 'secondary'));
      void lookup();
    } else {
      fill(
        actions,
        button('返回', 'Back', nav.home, 'secondary'),
        button('查询', 'Look up', lookup, 'primary lookup'),
      );
    }
  };
}

/**
 * The body of a quote: the entered fields. A service that asks for an explicit confirmation is
 * quoted as confirmed (a quote writes and sends nothing); the create carries the customer's tick.
 * @param {ServiceView} service
 * @param {Record<string, string>} values
 */
function quoteBody(service, values) {
  /** @type {Record<string, unknown>} */
  const body = {};
  for (const f of service.fields) {
    if (f.name === CONFIRM_FIELD) body[f.name] = true;
    else if (values[f.name] !== undefined && values[f.name] !== '') body[f.name] = values[f.name];
  }
  return body;
}

/**
 * Amount, fee and total before anything happens, with an explicit confirmation. Services with a
 * confirm field (game top-up: cannot be reversed) also need the tick box.
 * @param {Nav} nav
 * @param {ServiceView} service
 * @param {Record<string, string>} values
 * @param {{ amount: string, fee: string, total: string, fields: Record<string, string> }} quote
 * @param {Record<string, any> | null} answer the look-up's answer, kept for going back
 * @returns {Screen}
 */
export function quoteScreen(nav, service, values, quote, answer) {
  return (el) => {
    const box = messageBox();
    const needsTick = service.fields.some((f) => f.name === CONFIRM_FIELD);
    const rows = h('dl', { class: 'quote' });
    for (const f of service.fields) {
      const v = quote.fields[f.name];
      if (f.name === CONFIRM_FIELD || f.name === 'amount' || typeof v !== 'string') continue;
      rows.append(h('dt', {}, bi(f.zh, f.en)), h('dd', { text: v }));
    }
    rows.append(
      h('dt', {}, bi('金额', 'Amount')),
      h('dd', { class: 'money', 'data-k': 'amount', text: `￥${quote.amount}` }),
      h('dt', {}, bi('手续费', 'Fee')),
      h('dd', { class: 'money', 'data-k': 'fee', text: `￥${quote.fee}` }),
      h('dt', { class: 'total' }, bi('合计', 'Total')),
      h('dd', { class: 'money total', 'data-k': 'total', text: `￥${quote.total}` }),
    );
    const tick = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'confirm-tick' }));
    const pay = /** @type {HTMLButtonElement} */ (
      button(
        '确认支付',
        'Confirm and pay',
        async () => {
          pay.disabled = true;
          fill(box, h('p', { class: 'busy' }, bi('正在提交…', 'Submitting…')));
          const body = {
            ...quoteBody(service, values),
            ...(needsTick ? { [CONFIRM_FIELD]: tick.checked } : {}),
          };
          try {
            const txn = await api('POST', `/api/services/${service.id}/transactions`, body);
            nav.go(resultScreen(nav, txn));
          } catch (e) {
            const err = /** @type {ApiError} */ (e);
            pay.disabled = false;
            fill(box);
            const known = new Set(service.fields.map((f) => f.name).filter((n) => n !== CONFIRM_FIELD));
            // A refusal about an entered field is shown on the form, next to that field.
            if (err.issues.some((p) => p.field && known.has(p.field)))
              nav.go(serviceScreen(nav, service, values, { answer, error: err }));
            else showError(err, box, []);
          }
        },
        'primary pay',
      )
    );
    pay.disabled = needsTick;
    tick.addEventListener('change', () => {
      pay.disabled = !tick.checked;
    });
    fill(
      el,
      title('请确认', 'Please confirm'),
      h('h2', {}, bi(service.title.zh, service.title.en)),
      rows,
      needsTick
        ? h(
            'label',
            { class: 'tick', for: 'confirm-tick' },
            tick,
            bi(
              '我已核对账号与套餐：游戏充值成功后不能撤销',
              'I have checked the account and package: a game top-up cannot be reversed',
            ),
          )
        : null,
      box,
      h(
        'div',
        { class: 'actions' },
        button(
          '返回修改',
          'Back to edit',
          () => nav.go(serviceScreen(nav, service, values, { answer })),
          'secondary',
        ),
        pay,
      ),
    );
  };
}
