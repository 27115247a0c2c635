import { KioskError } from '../../core/errors.ts';
import type { TxnRecord } from '../../core/transaction/types.ts';
import { SELF_OPERATOR } from '../../journal/keys.ts';
import type { Session } from './sessions.ts';

/**
 * Which transactions an operator may read or act on. A teller (普通柜员) sees and settles only the
 * transactions they made themselves; a supervisor (综合柜员) the whole station, including the
 * customers' self-service ones (operator `~self`). The same rule serves the transaction look-ups,
 * the journal views, the pending list, receipts, reprints, actions and the event stream.
 */
export function seesTxn(session: Pick<Session, 'code' | 'role'>, txn: Pick<TxnRecord, 'operator'>): boolean {
  if (session.role === 'supervisor') return true;
  return (txn.operator ?? SELF_OPERATOR) === session.code;
}

/** Only the transactions `session` may see, in their order. */
export function inScope<T extends Pick<TxnRecord, 'operator'>>(session: Session, txns: readonly T[]): T[] {
  return txns.filter((t) => seesTxn(session, t));
}

/** KIOSK_E_FORBIDDEN (403) naming `serial` when a teller asks for a transaction that is not theirs. */
export function requireSees(session: Session, txn: TxnRecord): void {
  if (!seesTxn(session, txn)) {
    throw new KioskError('KIOSK_E_FORBIDDEN', {
      field: 'serial',
      zh: '柜员只能查看和处理自己的交易',
      en: 'a teller sees and handles only their own transactions',
    });
  }
}
