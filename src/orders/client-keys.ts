import { KioskError } from '../core/errors.ts';
import type { Journal } from '../journal/journal.ts';
import { clientKeyKey } from '../journal/keys.ts';
import type { WriteBatch } from '../journal/write-batch.ts';

/** What an idempotency key created: an order or a transaction. */
export type KeyTarget = { order: string } | { serial: string };

const KEY = /^[\w-]{8,64}$/;

/**
 * Idempotency keys sent by clients (the touchscreen's double tap, a retried request): the first
 * request with a key does the work and records, in the same batch, what it created (`k:<key>`);
 * every repeat — also one arriving while the first is still running — gets that same result.
 */
export class ClientKeys {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly journal: Journal) {}

  /** Refuses a malformed key naming the field. */
  static check(key: string | undefined, field = 'idempotencyKey'): string | undefined {
    if (key === undefined || KEY.test(key)) return key;
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: '幂等键应为 8–64 位字母、数字、下划线或连字符',
      en: 'the idempotency key must be 8–64 letters, digits, _ or -',
    });
  }

  async once<T>(
    key: string | undefined,
    scope: 'order' | 'txn',
    create: (remember: (b: WriteBatch, target: KeyTarget) => void) => Promise<T>,
    replay: (target: KeyTarget) => Promise<T>,
  ): Promise<{ value: T; repeated: boolean }> {
    ClientKeys.check(key);
    if (key === undefined) return { value: await create(() => undefined), repeated: false };
    const stored = `${scope}:${key}`;
    const attempt = async (): Promise<{ value: T; repeated: boolean }> => {
      const found = await this.journal.getJson<KeyTarget>(clientKeyKey(stored));
      if (found) return { value: await replay(found), repeated: true };
      return { value: await create((b, target) => b.put(clientKeyKey(stored), target)), repeated: false };
    };
    // One request per key at a time: a repeat waits for the first and then finds its record.
    const prev = this.running.get(stored) ?? Promise.resolve();
    const run = prev.then(attempt, attempt);
    const tail = run.catch(() => undefined);
    this.running.set(stored, tail);
    try {
      return await run;
    } finally {
      if (this.running.get(stored) === tail) this.running.delete(stored);
    }
  }
}
