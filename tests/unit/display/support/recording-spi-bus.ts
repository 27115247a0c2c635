import type { SpiBus } from '../../../../devices/display/spi-bus.ts';

/** Records every SPI transaction; `failNext` makes the next transfers fail like a lost device. */
export class RecordingSpiBus implements SpiBus {
  readonly transactions: Uint8Array[] = [];
  closed = false;
  failNext = 0;

  async transfer(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw Object.assign(new Error('EBADF: bus closed'), { code: 'EBADF' });
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    }
    this.transactions.push(Uint8Array.from(bytes));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * What a chain of MAX7219 chips would hold after these transactions, decoded independently of
 * the encoder: the last 2·n bytes clocked in stay in the chain, module 0 holding the final pair.
 */
export function simulateChain(transactions: readonly Uint8Array[], modules: number) {
  const regs = Array.from({ length: modules }, () => new Map<number, number>());
  for (const t of transactions) {
    if (t.length !== 2 * modules) throw new Error(`transaction of ${t.length} bytes for ${modules} modules`);
    for (let k = 0; k < modules; k++) {
      const pos = t.length - 2 * (k + 1);
      const reg = t[pos] ?? 0;
      if (reg !== 0) regs[k]?.set(reg, t[pos + 1] ?? 0);
    }
  }
  return regs;
}
