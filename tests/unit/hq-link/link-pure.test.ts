import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextStartPathsIn, protectedPathsIn } from '../../../src/hq-link/config-control.ts';
import type { StoredNotice } from '../../../src/hq-link/kiosk-state.ts';
import { NoticeBoard } from '../../../src/hq-link/notice-board.ts';
import { ReplayGuard } from '../../../src/hq-link/replay-guard.ts';
import { loadPublicKey, openSigned, publicKeyBase64, signPayload } from '../../../src/protocol/signed.ts';
import { parseTopic, upTopic } from '../../../src/protocol/topics.ts';

describe('ReplayGuard', () => {
  it('accepts each sequence number once, out of order within the window', () => {
    const g = new ReplayGuard(undefined, 8);
    for (const s of [5, 3, 4, 9]) {
      expect(g.fresh(s)).toBe(true);
      g.record(s);
    }
    expect(g.fresh(4)).toBe(false);
    expect(g.fresh(6)).toBe(true);
    expect(g.fresh(1)).toBe(false); // below the window
    const restored = new ReplayGuard(g.state(), 8);
    expect(restored.fresh(5)).toBe(false);
    expect(restored.fresh(10)).toBe(true);
  });

  it('never accepts a recorded number again (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 200 }), (seqs) => {
        const g = new ReplayGuard(undefined, 64);
        const used = new Set<number>();
        for (const s of seqs) {
          if (g.fresh(s)) {
            expect(used.has(s)).toBe(false);
            used.add(s);
            g.record(s);
          }
        }
      }),
    );
  });
});

describe('signed envelopes', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const now = 1_700_000_000_000;
  const ack = {
    kind: 'ack' as const,
    station: '33010001',
    iat: now,
    exp: now + 1000,
    ranges: [[1, 2]] as Array<[number, number]>,
  };

  it('verifies with the key given as PEM, base64 raw or base64 SPKI', () => {
    const env = JSON.stringify(signPayload(privateKey, ack));
    const forms = [
      publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      publicKeyBase64(publicKey),
      publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    ];
    for (const f of forms) expect(openSigned(env, [loadPublicKey(f)], '33010001', now).ok).toBe(true);
  });

  it('refuses expiry, other station and a second key it does not know', () => {
    const env = JSON.stringify(signPayload(privateKey, ack));
    expect(openSigned(env, [publicKey], '33010001', now + 1001)).toMatchObject({
      ok: false,
      code: 'HQ_E_EXPIRED',
    });
    expect(openSigned(env, [publicKey], '33010002', now)).toMatchObject({
      ok: false,
      code: 'HQ_E_OTHER_STATION',
    });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(openSigned(env, [other], '33010001', now)).toMatchObject({
      ok: false,
      code: 'HQ_E_BAD_SIGNATURE',
    });
    expect(openSigned(env, [other, publicKey], '33010001', now).ok).toBe(true);
  });
});

describe('NoticeBoard', () => {
  const n = (id: string, over: Partial<StoredNotice> = {}): StoredNotice => ({
    id,
    text: id,
    priority: 'normal',
    kind: 'first',
    followUpOf: null,
    startAt: null,
    endAt: null,
    receivedAt: 0,
    seq: 1,
    ...over,
  });

  it("keeps a first report when its follow-up arrives: one thread in the sign's model", () => {
    const b = new NoticeBoard();
    b.put(n('first', { priority: 'emergency', seq: 1 }));
    b.put(n('f1', { kind: 'follow-up', followUpOf: 'first', priority: 'emergency', seq: 2 }));
    b.put(n('f2', { kind: 'follow-up', followUpOf: 'f1', seq: 3 }));
    expect(b.current(10)).toEqual([
      { id: 'first', text: 'first', priority: 'emergency', source: 'hq' },
      { id: 'f1', text: 'f1', priority: 'emergency', followUpOf: 'first', source: 'hq' },
      { id: 'f2', text: 'f2', priority: 'normal', followUpOf: 'first', source: 'hq' },
    ]);
  });

  it('passes schedules on, drops reports that are over, withdraws a report with its follow-ups', () => {
    const b = new NoticeBoard();
    b.put(n('first', { seq: 1 }));
    b.put(n('f1', { kind: 'follow-up', followUpOf: 'first', seq: 2 }));
    b.put(n('f2', { kind: 'follow-up', followUpOf: 'f1', seq: 3 }));
    b.put(n('later', { startAt: 100, endAt: 200, seq: 4 }));
    expect(b.current(50).map((x) => x.id)).toEqual(['first', 'f1', 'f2', 'later']);
    expect(b.current(50)[3]).toMatchObject({ startsAt: 100, endsAt: 200 });
    expect(b.prune(200)).toEqual(['later']);
    expect(b.withdraw('f1')).toBe(true);
    expect(b.all().map((x) => x.id)).toEqual(['first']);
    b.put(n('f3', { kind: 'follow-up', followUpOf: 'first', seq: 5 }));
    expect(b.withdraw('first')).toBe(true);
    expect(b.all()).toEqual([]);
  });
});

describe('topics and protected config', () => {
  it('parses its own topics', () => {
    expect(parseTopic('kiosk', upTopic('kiosk', '33010001', 'journal'))).toEqual({
      station: '33010001',
      direction: 'up',
      rest: ['journal'],
    });
    expect(parseTopic('kiosk', 'other/v1/33010001/up/journal')).toBeNull();
  });

  it('finds protected keys', () => {
    expect(protectedPathsIn({ hq: { tls: {}, telemetryIntervalMs: 5 }, balance: {} })).toEqual(['hq.tls']);
    expect(protectedPathsIn({ services: { enabled: [] } })).toEqual([]);
    expect(nextStartPathsIn({ devices: { printer: {} }, log: { level: 'warn' }, balance: {} })).toEqual([
      'devices',
      'log',
    ]);
    expect(nextStartPathsIn({ balance: { lowWarning: '50' } })).toEqual([]);
  });
});
