import { describe, expect, it } from 'vitest';
// @ts-expect-error the touchscreen's plain ES module has no type declarations
import { ApiError, sendOnce } from '../../../src/ui/web/api.js';

const lost = () => new ApiError(0, { code: 'NETWORK', zh: '无法连接', en: 'cannot connect' });
const refused = () => new ApiError(422, { code: 'KIOSK_E_INVALID_INPUT', zh: '不对', en: 'wrong' });

describe('sendOnce (the screens’ create with its idempotency key)', () => {
  it('asks again after a lost answer and returns the first answer that comes', async () => {
    let calls = 0;
    const r = await sendOnce(async () => {
      calls++;
      if (calls < 3) throw lost();
      return { id: 'o1' };
    });
    expect(r).toEqual({ id: 'o1' });
    expect(calls).toBe(3);
  });

  it('gives up after three lost answers with the network error', async () => {
    let calls = 0;
    const p = sendOnce(async () => {
      calls++;
      throw lost();
    });
    await expect(p).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
    expect(calls).toBe(3);
  });

  it('never repeats a refusal', async () => {
    let calls = 0;
    const p = sendOnce(async () => {
      calls++;
      throw refused();
    });
    await expect(p).rejects.toMatchObject({ status: 422, code: 'KIOSK_E_INVALID_INPUT' });
    expect(calls).toBe(1);
  });
});
