import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/** JSON bodies that parse but are not an object of fields. */
const NOT_OBJECTS: ReadonlyArray<[string, string]> = [
  ['true', 'a boolean'],
  ['1', 'a number'],
  ['"13800138000"', 'a string'],
  ['null', 'null'],
  ['["13800138000"]', 'an array'],
];

describe('local HTTP API: request bodies that are not JSON objects', () => {
  let k: TestKiosk;

  beforeAll(async () => {
    k = await startTestKiosk();
  });
  afterAll(async () => {
    await k.stop();
  });

  it('answers 400 naming the body on every route that takes fields, and changes nothing', async () => {
    const before = k.app.journal.lastCounters;
    const routes = [
      '/api/services/electricity-bill/inquiry',
      '/api/services/mobile-topup/quote',
      '/api/services/mobile-topup/transactions',
      '/api/session',
    ];
    for (const path of routes) {
      for (const [raw, kind] of NOT_OBJECTS) {
        const r = await k.api('POST', path, { raw });
        expect(r.status, `${path} ${raw}`).toBe(400);
        expect(r.body).toMatchObject({ code: 'KIOSK_E_INVALID_INPUT', field: 'body' });
        expect(r.body.en).toBe(`the request body must be a JSON object, not ${kind}`);
        expect(r.body.zh).toContain('JSON 对象');
        expect(r.text).not.toContain('13800138000');
      }
    }
    expect(k.app.journal.lastCounters).toEqual(before);
  });
});
