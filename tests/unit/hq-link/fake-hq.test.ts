import { describe, expect, it } from 'vitest';
import type { HqRequest } from '../../../src/engine/ports.ts';
import { FakeHq } from '../../support/fake-hq.ts';

const req = (op: string, key = 'T1', gen = 0): HqRequest => ({
  op,
  service: 'mobile-topup',
  serial: '0000000001',
  stationId: '33010001',
  idempotencyKey: `${key}:${op}:${gen}`,
  payload: {},
});
const signal = () => new AbortController().signal;

describe('FakeHq test double', () => {
  it('answers a repeated pay with the first answer and charges once', async () => {
    const hq = new FakeHq().script('pay', 'ok', 'declined');
    const a = await hq.request(req('pay'), signal());
    const b = await hq.request(req('pay'), signal());
    expect(b).toEqual(a);
    expect(hq.charges.get('T1')).toBe(1);
    expect(hq.count('pay')).toBe(2);
  });

  it('pending-then-ok: pending, one pending status, then ok', async () => {
    const hq = new FakeHq().script('pay', 'pending-then-ok');
    expect((await hq.request(req('pay'), signal())).outcome).toBe('pending');
    expect((await hq.request(req('status'), signal())).outcome).toBe('pending');
    expect((await hq.request(req('status'), signal())).outcome).toBe('ok');
    expect(hq.charges.get('T1')).toBe(1);
  });

  it('timeout never answers and never charges; hang charges but never answers', async () => {
    const hq = new FakeHq().script('pay', 'timeout', 'hang');
    const ac = new AbortController();
    const p = hq.request(req('pay', 'A'), ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow('aborted');
    expect(hq.charges.get('A')).toBeUndefined();
    const ac2 = new AbortController();
    const q = hq.request(req('pay', 'B'), ac2.signal);
    ac2.abort();
    await expect(q).rejects.toThrow('aborted');
    expect(hq.charges.get('B')).toBe(1);
    expect((await hq.request(req('status', 'B'), signal())).outcome).toBe('ok');
  });

  it('throw is a transport error', async () => {
    const hq = new FakeHq().script('pay', 'throw');
    await expect(hq.request(req('pay'), signal())).rejects.toThrow('connection reset');
  });
});
