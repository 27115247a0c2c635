import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FOLLOW_AFTER_FINAL_MS, FollowTokens, followable } from '../../../src/ui/server/follow-tokens.ts';

describe('follow tokens', () => {
  it('are the same under the same secret (a restart), differ under another, and open only what they name', () => {
    const key = randomBytes(32);
    const a = new FollowTokens(key);
    const b = new FollowTokens(Buffer.from(key));
    const token = a.issue({ kind: 'order', id: '202612010001' });
    expect(b.opens(token, { kind: 'order', id: '202612010001' })).toBe(true);
    expect(b.opens(token, { kind: 'order', id: '202612010002' })).toBe(false);
    expect(b.opens(token, { kind: 'txn', id: '202612010001' })).toBe(false);
    expect(new FollowTokens(randomBytes(32)).opens(token, { kind: 'order', id: '202612010001' })).toBe(false);
  });

  it('refuse a missing or short secret (fail closed)', () => {
    expect(() => new FollowTokens(Buffer.alloc(0))).toThrow(/32 bytes/);
    expect(() => new FollowTokens(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('expire with what they name: open while it is open, for a while after it is final, never when unknown', () => {
    const now = 1_000_000_000;
    expect(followable({ final: false, updatedAt: 0 }, now)).toBe(true);
    expect(followable({ final: true, updatedAt: now - FOLLOW_AFTER_FINAL_MS }, now)).toBe(true);
    expect(followable({ final: true, updatedAt: now - FOLLOW_AFTER_FINAL_MS - 1 }, now)).toBe(false);
    expect(followable(undefined, now)).toBe(false);
  });
});
