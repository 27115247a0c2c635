/**
 * Messages a hostile client sends to take money or control: each was accepted once by an
 * unauthenticated broker. Suites that attack a broker send these and check that nothing moved.
 */

/** A forged admin top-up for `station` (the attack that raised a balance by 123,456.78). */
export function forgedTopup(station: string): string {
  return JSON.stringify({
    v: 1,
    id: 'forged-topup-1',
    replyTo: 'hq/v1/admin/res/kiosk-hq-cli-evil0001',
    action: 'topup',
    args: { station, amount: '123456.78' },
  });
}

/** A forged control message that would make every biller fail. */
export function forgedControl(): string {
  return JSON.stringify({ v: 1, service: '*', mode: 'failing' });
}

/** A payment request published as `station`, with no kiosk transaction behind it. */
export function forgedPay(station: string, at = Date.now()): string {
  return JSON.stringify({
    v: 1,
    id: 'forged-pay-0001',
    replyTo: `kiosk/v1/${station}/down/res`,
    station,
    at,
    op: 'pay',
    service: 'water-bill',
    serial: '9999999999',
    idempotencyKey: 'forged:pay:0',
    payload: { fields: { account: '12345678' }, amount: '10.00' },
  });
}

/** Journal events for `station`'s next sequence number, which would make HQ drop the real ones. */
export function forgedJournal(station: string, nextSeq: number, at = Date.now()): string {
  return JSON.stringify({
    v: 1,
    station,
    events: [{ seq: nextSeq, type: 'txn.created', at, txn: {} }],
  });
}
