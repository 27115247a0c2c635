import { bi, biOf, h } from './dom.js';

/**
 * Which refusals are the kiosk's problems rather than the customer's typing, and how each is said
 * to a customer. Nothing here mentions the station's prepaid balance: a customer is told only that
 * the service cannot be done here now.
 *
 * @typedef {import('./api.js').ApiError} ApiError
 */

/** @type {Record<string, { zh: string, en: string }>} */
const CUSTOMER_REASONS = {
  NETWORK: { zh: '服务亭暂时无法联网', en: 'the kiosk is offline just now' },
  KIOSK_E_TIMEOUT: {
    zh: '暂时连不上缴费中心，请稍后再试',
    en: 'the payment centre cannot be reached just now; please try later',
  },
  KIOSK_E_HQ_PROTOCOL: {
    zh: '缴费中心暂时无法办理，请稍后再试',
    en: 'the payment centre cannot take this just now; please try later',
  },
  KIOSK_E_INSUFFICIENT_BALANCE: {
    zh: '本亭暂时不能办理此业务，请稍后再试或到柜台咨询',
    en: 'this kiosk cannot take this payment just now; please try later or ask at the counter',
  },
  KIOSK_E_SAFE_MODE: { zh: '服务亭正在检修', en: 'the kiosk is under maintenance' },
  KIOSK_E_SERVICE_DISABLED: { zh: '本亭不办理此业务', en: 'this kiosk does not offer this service' },
  KIOSK_E_FORBIDDEN: {
    zh: '此业务请到柜台办理',
    en: 'please use the counter for this service',
  },
  KIOSK_E_INTERNAL: {
    zh: '服务亭出现故障，请到柜台咨询',
    en: 'the kiosk has a fault; please ask at the counter',
  },
};

const FIELD_CODES = new Set([
  'KIOSK_E_INVALID_INPUT',
  'KIOSK_E_INVALID_AMOUNT',
  'KIOSK_E_SELF_SERVICE_LIMIT',
]);

/**
 * True when the refusal is about the kiosk (offline, unavailable, closed, maintenance, cannot pay
 * now), not about what was typed.
 * @param {ApiError} err
 */
export function isKioskProblem(err) {
  // A timeout names the look-up field it was asking about, but it is still not the customer's doing.
  return !FIELD_CODES.has(err.code);
}

/**
 * The reason as a customer understands it. A service the kiosk reports unavailable (closed hours,
 * a device, HQ) comes with its own customer-facing reason.
 * @param {ApiError} err
 */
export function customerReason(err) {
  if (err.details?.customer) return err.details.customer;
  if (err.code === 'KIOSK_E_SERVICE_UNAVAILABLE') return { zh: err.zh, en: err.en };
  if (/^KIOSK_E_JOURNAL/.test(err.code)) return CUSTOMER_REASONS.KIOSK_E_SAFE_MODE;
  if (/^HTTP_5/.test(err.code)) return CUSTOMER_REASONS.KIOSK_E_INTERNAL;
  return CUSTOMER_REASONS[err.code] ?? { zh: err.zh, en: err.en };
}

/**
 * The "this service is unavailable now" panel.
 * @param {{ zh: string, en: string }} reason
 * @param {{ zh: string, en: string } | null} [detail] what the operator sees in addition
 */
export function unavailablePanel(reason, detail = null) {
  return h(
    'div',
    { class: 'unavailable', 'data-k': 'unavailable' },
    h('p', { class: 'unavailable-head' }, bi('此业务现在暂停办理', 'This service is unavailable now')),
    h('p', { class: 'reason', 'data-k': 'reason' }, biOf(reason)),
    detail ? h('p', { class: 'detail' }, biOf(detail)) : null,
    h('p', {}, bi('没有扣款。', 'Nothing was charged.')),
  );
}
