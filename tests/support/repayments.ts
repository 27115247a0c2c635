import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { CREDIT_CARD_SERVICE } from '../../src/core/services/credit-card.ts';
import { HQ_KEYS } from '../../src/hq-link/kiosk-state.ts';
import { txn } from '../unit/reports/fixtures.ts';

export const STATEMENT_HEADER = 'date,time,terminal,serial,card,amount,reference';
export const TERMINAL = '88000001';

/** One statement line of terminal 88000001. */
export const statementLine = (date: string, serial: string, amount: string, card = '622588******1234') =>
  `${date},102345,${TERMINAL},${serial},${card},${amount},A1B2C3D4E5F6`;

/**
 * Binds repayment terminal 88000001 to the kiosk and journals one credit-card repayment per entry
 * of `repayments` on business date `date` (succeeded unless `ok` is false: then failed, expected
 * on no statement). Returns their serials in order.
 */
export async function seedRepayments(
  app: KioskApp,
  date: string,
  repayments: ReadonlyArray<readonly [amountFen: number, ok: boolean]>,
): Promise<string[]> {
  await app.journal.commit((b) => {
    b.put(HQ_KEYS.terminal, { terminalNo: TERMINAL, status: 'enabled', at: b.at });
  });
  await app.cardTerminal.load();
  const serials: string[] = [];
  for (const [amountFen, ok] of repayments)
    await app.journal.commit((b) => {
      const serial = b.nextSerial();
      serials.push(serial);
      const t = txn({
        serial,
        idempotencyKey: `k${serial}`,
        stationId: app.config.stationId,
        service: CREDIT_CARD_SERVICE,
        businessDate: date,
        createdAt: b.at,
        updatedAt: b.at,
        stateSince: b.at,
        fields: { debitCard: '622202******0128', creditCard: '625807******7896', amount: '1' },
        amountFen,
        feeFen: 0,
        ...(ok ? {} : { state: 'failed', result: 'failed' }),
      });
      b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
      b.putTxn(t);
    });
  return serials;
}
