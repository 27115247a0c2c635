import { KioskError } from '../core/errors.ts';
import { type LedgerView, ledgerView } from './balance-views.ts';
import { parseYyyymmdd } from './time-window.ts';

/** Most entries one page of a balance view holds. */
export const MAX_BALANCE_PAGE = 500;

/**
 * One page of a balance view (续费明细, 交易明细, 余额变更, 调账, 退款通知). With `from`/`to`:
 * the entries of that range of business dates, oldest first; without: the latest entries, newest
 * first. `after` is the cursor a previous page returned as `next` (a ledger sequence number, so
 * the order is stable however many entries are added meanwhile).
 */
export interface BalanceQuery {
  view: LedgerView | undefined;
  range: { from: string; to: string } | null;
  limit: number;
  after: number | null;
}

export interface BalanceQueryInput {
  group?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: string | undefined;
  after?: string | undefined;
}

const given = (v: string | undefined): v is string => v !== undefined && v !== '';

/**
 * Checks a balance-view request as typed (query string or CLI options); every error names its
 * field in Chinese and English. `today` is the default end of a range. Pure.
 */
export function parseBalanceQuery(q: BalanceQueryInput, today: string, defaultLimit = 50): BalanceQuery {
  const view = given(q.group) ? ledgerView(q.group) : undefined;
  if (given(q.group) && !view) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'group',
      zh: '明细类别应为 topups、consumption、changes、reversalCredits、adjustments、refunds 或 holds',
      en: 'group must be topups, consumption, changes, reversalCredits, adjustments, refunds or holds',
    });
  }
  const from = given(q.from) ? parseYyyymmdd(q.from, 'from') : undefined;
  const to = given(q.to) ? parseYyyymmdd(q.to, 'to') : undefined;
  if (to && !from) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'from',
      zh: '指定结束日期时须同时指定开始日期',
      en: 'from is needed with to',
    });
  }
  let range: BalanceQuery['range'] = null;
  if (from) {
    const end = to ?? today;
    if (end < from) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'to',
        zh: '结束日期须不早于开始日期',
        en: 'to must not be before from',
      });
    }
    range = { from, to: end };
  }
  return { view, range, limit: pageSize(q.limit, defaultLimit), after: cursor(q.after) };
}

function pageSize(v: string | undefined, fallback: number): number {
  if (!given(v)) return fallback;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1 || Number(v) > MAX_BALANCE_PAGE) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'limit',
      zh: `每页条数应为 1 至 ${MAX_BALANCE_PAGE}`,
      en: `limit (entries per page) must be 1 to ${MAX_BALANCE_PAGE}`,
    });
  }
  return Number(v);
}

function cursor(v: string | undefined): number | null {
  if (!given(v)) return null;
  if (!/^[1-9]\d{0,14}$/.test(v)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'after',
      zh: '翻页位置无效，请使用上一页返回的 next',
      en: 'after must be the next cursor a previous page returned',
    });
  }
  return Number(v);
}
