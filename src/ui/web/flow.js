import { api } from './api.js';
import { cardFieldsOf, cardScreen, isCardProblem } from './card-step.js';
import { choiceView } from './choices.js';
import { confirmScreen } from './confirm.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { entryField, entryOf } from './keypad.js';
import { customerReason, isKioskProblem, unavailablePanel } from './problems.js';

/**
 * A service, one field per screen: the look-up fields first (then the biller is asked), then the
 * rest in the definition's order, each entered on its keypad or chosen from the biller's answer.
 *
 * @typedef {import('./keypad.js').FieldView} FieldView
 * @typedef {{ id: string, title: { zh: string, en: string }, enabled: boolean, selfService: boolean,
 *   fee: string, fields: FieldView[], inquiry: { fields: string[] } | null, funding?: 'hold' | 'none',
 *   available?: boolean, availability?: { available: boolean, reason?: { zh: string, en: string } | null } }} ServiceView
 * @typedef {{ operator: boolean, tenders?: Array<'counter' | 'qr'> }} Mode who is at the screen: a customer (and how
 *   customers pay here), or an operator at the counter
 * @typedef {{ service: ServiceView, values: Record<string, string>, labels: Record<string, string>,
 *   answer: Record<string, any> | null, mode: Mode, card?: import('./card-step.js').CardRead }} Flow
 *   `card`: the latest read of the customer's card, for a service whose fields come from it
 * @typedef {import('./shell.js').View} View
 * @typedef {import('./api.js').ApiError} ApiError
 */

/** @param {ServiceView} service */
export function stepsOf(service) {
  // Fields the kiosk fills from the customer's card have the card step instead of a screen.
  const card = cardFieldsOf(service);
  const lookup = (service.inquiry?.fields ?? []).filter((n) => !card.includes(n));
  // A field another one fills (a trip's fare) has no screen of its own.
  const filled = new Set(service.fields.flatMap((f) => entryOf(f).fills ?? []));
  const rest = service.fields
    .filter(
      (f) =>
        !lookup.includes(f.name) &&
        !card.includes(f.name) &&
        !filled.has(f.name) &&
        entryOf(f).keypad !== 'confirm',
    )
    .map((f) => f.name);
  return { lookup, names: [...lookup, ...rest], card };
}

/**
 * The card step, then the look-up its card answers (when the service asks one) or the first field.
 * @param {Flow} flow
 * @param {{ zh: string, en: string }[]} [problems]
 * @returns {import('./shell.js').Screen}
 */
function cardStep(flow, problems = []) {
  return cardScreen(flow, problems, (view) =>
    view.nav.go(
      flow.service.inquiry && stepsOf(flow.service).lookup.length === 0
        ? inquiryScreen(flow)
        : fieldScreen(flow, 0),
    ),
  );
}

/**
 * @param {ServiceView} service
 * @param {Mode} mode
 * @returns {import('./shell.js').Screen}
 */
export function startFlow(service, mode) {
  /** @type {Flow} */
  const flow = { service, values: {}, labels: {}, answer: null, mode };
  const { lookup, card } = stepsOf(service);
  if (card.length > 0) return cardStep(flow);
  if (service.inquiry && lookup.length === 0) return inquiryScreen(flow);
  return fieldScreen(flow, 0);
}

/**
 * Asks the biller (a look-up with no fields: the game catalogue) before the first field.
 * @param {Flow} flow
 * @returns {import('./shell.js').Screen}
 */
function inquiryScreen(flow) {
  return (view) => {
    view.step(1);
    const box = messageBox();
    fill(
      view.main,
      title(flow.service.title.zh, flow.service.title.en),
      h('p', { class: 'busy' }, bi('正在查询…', 'Looking up…')),
      box,
    );
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
    let live = true;
    const body = flow.card ? { cardToken: flow.card.token } : {};
    api('POST', `/api/services/${flow.service.id}/inquiry`, body).then(
      (r) => {
        if (!live) return;
        flow.answer = r.answer ?? {};
        view.nav.go(fieldScreen(flow, 0));
      },
      (/** @type {ApiError} */ e) => {
        if (!live) return;
        if (flow.card && isCardProblem(flow.service.fields, e)) return view.nav.go(cardStep(flow, e.issues));
        view.nav.go(unavailableScreen(flow, e));
      },
    );
    return () => {
      live = false;
    };
  };
}

/**
 * One field of the flow.
 * @param {Flow} flow
 * @param {number} i index into the flow's fields
 * @param {import('./api.js').Problem[]} [problems] refusals naming this field
 * @returns {import('./shell.js').Screen}
 */
export function fieldScreen(flow, i, problems = []) {
  return (view) => {
    const { service, values } = flow;
    const { lookup, names } = stepsOf(service);
    const name = /** @type {string} */ (names[i]);
    const f = /** @type {FieldView} */ (service.fields.find((x) => x.name === name));
    const entry = entryOf(f);
    const box = messageBox();
    const isLastLookup = lookup.length > 0 && i === lookup.length - 1;
    const isLast = i === names.length - 1;
    if (name === 'amount' && !values.amount) prefillAmount(flow);
    view.step(1);

    /** @type {{ showErrors: (p: import('./api.js').Problem[]) => void } | null} */
    let field = null;
    let body;
    const changed = () => {
      if (primary) primary.disabled = f.required && !(values[name] ?? '');
    };
    if (entry.keypad === 'choice') {
      const c = choiceView(flow, f, changed);
      field = c;
      body = c.el;
    } else {
      const e = entryField(f, {
        value: values[name] ?? '',
        onChange: (v) => {
          values[name] = v;
          changed();
        },
      });
      field = e;
      body = e.el;
    }
    fill(
      view.main,
      h(
        'div',
        { class: 'screen-head' },
        title(service.title.zh, service.title.en),
        h('span', { class: 'progress', text: `${i + 1}/${names.length}` }),
      ),
      i >= lookup.length ? answerSummary(flow) : null,
      box,
      body,
    );
    if (problems.length > 0) field.showErrors(problems);

    const next = async () => {
      if (isLastLookup) return lookUp(view, flow, i, box, field);
      if (!isLast) return view.nav.go(fieldScreen(flow, i + 1));
      return quote(view, flow, box);
    };
    const { primary } = view.bar({
      back: {
        zh: '返回',
        en: 'Back',
        run: () =>
          i > 0
            ? view.nav.go(fieldScreen(flow, i - 1))
            : flow.card
              ? view.nav.go(cardStep(flow))
              : view.nav.home(),
      },
      home: true,
      primary: isLastLookup
        ? { zh: '查询', en: 'Look up', run: next, id: 'act-primary' }
        : { zh: '下一步', en: 'Next', run: next, id: 'act-primary' },
    });
    changed();
  };
}

/**
 * @param {View} view
 * @param {Flow} flow
 * @param {number} i
 * @param {HTMLElement} box
 * @param {{ showErrors: (p: import('./api.js').Problem[]) => void }} field
 */
async function lookUp(view, flow, i, box, field) {
  const { lookup } = stepsOf(flow.service);
  fill(box, h('p', { class: 'busy' }, bi('正在查询，请稍候…', 'Looking up, please wait…')));
  try {
    const body = Object.fromEntries(lookup.map((n) => [n, flow.values[n] ?? '']));
    const r = await api('POST', `/api/services/${flow.service.id}/inquiry`, body);
    flow.answer = r.answer ?? {};
    // What was chosen from an earlier answer (and what it filled) is chosen again from this one.
    for (const f of flow.service.fields) {
      const e = entryOf(f);
      if (f.name !== 'amount' && !e.answer) continue;
      for (const n of [f.name, ...(e.fills ?? [])]) {
        delete flow.values[n];
        delete flow.labels[n];
      }
    }
    view.nav.go(fieldScreen(flow, i + 1));
  } catch (e) {
    fill(box);
    refused(view, flow, /** @type {ApiError} */ (e), box, field, i);
  }
}

/**
 * @param {View} view
 * @param {Flow} flow
 * @param {HTMLElement} box
 */
async function quote(view, flow, box) {
  fill(box, h('p', { class: 'busy' }, bi('正在计算费用…', 'Working out the total…')));
  try {
    const q = await api('POST', `/api/services/${flow.service.id}/quote`, bodyOf(flow, true));
    view.nav.go(confirmScreen(flow, q));
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    // The answer may have changed since it was asked (the trip's seats went): asked again, so
    // the screen the customer goes back to shows it as it is now.
    if (!isKioskProblem(err)) await askAgain(flow);
    fill(box);
    refused(view, flow, err, box, null, -1);
  }
}

/**
 * Asks the look-up again with the same fields, keeping what was chosen; an error keeps the old answer.
 * @param {Flow} flow
 */
async function askAgain(flow) {
  const { lookup } = stepsOf(flow.service);
  if (lookup.length === 0 || !flow.answer) return;
  try {
    const body = Object.fromEntries(lookup.map((n) => [n, flow.values[n] ?? '']));
    const r = await api('POST', `/api/services/${flow.service.id}/inquiry`, body);
    flow.answer = r.answer ?? flow.answer;
  } catch {
    // The refusal is shown all the same.
  }
}

/**
 * A refusal: a kiosk problem becomes the "unavailable now" screen; a problem with a field is shown
 * on that field's own screen.
 * @param {View} view
 * @param {Flow} flow
 * @param {ApiError} err
 * @param {HTMLElement} box
 * @param {{ showErrors: (p: import('./api.js').Problem[]) => void } | null} field the field shown now
 * @param {number} i its index
 * @returns {boolean} whether another screen was opened
 */
export function refused(view, flow, err, box, field, i) {
  // The card was pulled or swapped, or it has a purchase still open: back to the card step.
  if (flow.card && isCardProblem(flow.service.fields, err)) {
    view.nav.go(cardStep(flow, err.issues));
    return true;
  }
  if (isKioskProblem(err)) {
    view.nav.go(unavailableScreen(flow, err));
    return true;
  }
  const { names } = stepsOf(flow.service);
  const withField = err.issues.map((p) =>
    !p.field && err.code === 'KIOSK_E_SELF_SERVICE_LIMIT' ? { ...p, field: 'amount' } : p,
  );
  // The earliest screen with a problem: the customer fixes the fields in the order they typed them.
  const at = withField.map((p) => names.indexOf(p.field ?? '')).filter((n) => n >= 0);
  const first = at.length > 0 ? Math.min(...at) : -1;
  if (first >= 0 && first !== i) {
    view.nav.go(
      fieldScreen(
        flow,
        first,
        withField.filter((p) => p.field === names[first]),
      ),
    );
    return true;
  }
  const mine = withField.filter((p) => p.field === names[i]);
  if (field && mine.length > 0) field.showErrors(mine);
  const rest = withField.filter((p) => !mine.includes(p));
  fill(box, ...rest.map((p) => h('p', { class: 'error' }, bi(p.zh, p.en))));
  return false;
}

/**
 * The body of a quote or a create: every entered field; the confirmation tick as given.
 * @param {Flow} flow
 * @param {boolean} ticked
 */
export function bodyOf(flow, ticked) {
  /** @type {Record<string, unknown>} */
  const body = {};
  if (flow.card) body.cardToken = flow.card.token;
  for (const f of flow.service.fields) {
    if (entryOf(f).keypad === 'confirm') body[f.name] = ticked;
    else if (flow.values[f.name]) body[f.name] = flow.values[f.name];
  }
  return body;
}

/** @param {Flow} flow */
function prefillAmount(flow) {
  const a = flow.answer;
  if (!a) return;
  const contract = Array.isArray(a.contracts)
    ? a.contracts.find((/** @type {any} */ c) => c.contractNo === flow.values.contractNo)
    : null;
  const arrears = contract ? contract.arrears : a.arrears;
  if (typeof arrears === 'string' && Number(arrears) > 0) flow.values.amount = arrears;
}

/**
 * What the biller said, kept in view while the customer fills in the rest.
 * @param {Flow} flow
 */
function answerSummary(flow) {
  const a = flow.answer;
  if (!a) return null;
  /** @type {Array<[{ zh: string, en: string }, string, string?]>} */
  const rows = [];
  if (typeof a.name === 'string') rows.push([{ zh: '户名', en: 'Name' }, a.name, 'name']);
  if (typeof a.city === 'string') rows.push([{ zh: '号码归属', en: 'Region' }, a.city, 'city']);
  if (typeof a.areaName === 'string') rows.push([{ zh: '供电区域', en: 'Supply area' }, a.areaName, 'area']);
  if (typeof a.arrears === 'string')
    rows.push([{ zh: '当前欠费', en: 'Arrears' }, `￥${a.arrears}`, 'arrears']);
  if (rows.length === 0) return null;
  return dl(rows, 'answer');
}

/**
 * @param {Flow} flow
 * @param {ApiError} err
 * @returns {import('./shell.js').Screen}
 */
export function unavailableScreen(flow, err) {
  return (view) => {
    view.step(null);
    fill(
      view.main,
      title(flow.service.title.zh, flow.service.title.en),
      unavailablePanel(customerReason(err), flow.mode.operator ? { zh: err.zh, en: err.en } : null),
    );
    view.bar({ primary: { zh: '返回首页', en: 'Back to start', run: () => view.nav.home() } });
  };
}
