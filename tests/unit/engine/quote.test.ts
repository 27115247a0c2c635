import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../src/core/transaction/types.ts';
import type { Journal } from '../../../src/journal/journal.ts';
import { type EngineRig, startEngineRig } from '../../support/engine-rig.ts';
import { testBillService } from '../../support/test-service.ts';

const cardService: ServiceDefinition = { ...testBillService, id: 'card-bill', requires: ['cardReader'] };
const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

/** Every key and value of the store, to show that a quote leaves it exactly as it was. */
async function storeContents(journal: Journal): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of journal.raw.iterator()) out.push(`${k}=${v}`);
  return out;
}

describe('a quote is an engine operation that changes nothing', () => {
  let rig: EngineRig;

  beforeEach(async () => {
    rig = await startEngineRig({
      services: [testBillService, cardService],
      config: { services: { enabled: ['test-bill', 'card-bill'], fees: { 'test-bill': '1.50' } } },
      balanceFen: 50_00,
    });
  });
  afterEach(() => rig.stop());

  it('prices a payment with its fee and tells whether the balance covers it, asking no one and writing nothing', async () => {
    const before = await storeContents(rig.journal);
    const q = await rig.engine.quote('test-bill', { phone: '13800138000', amount: '20' }, TELLER);
    expect(q.amount.toString()).toBe('20.00');
    expect(q.fee.toString()).toBe('1.50');
    expect(q.balanceSufficient).toBe(true);
    expect(
      (await rig.engine.quote('test-bill', { phone: '13800138000', amount: '60' }, TELLER)).balanceSufficient,
    ).toBe(false);
    expect(rig.hq.requests).toHaveLength(0);
    expect(await storeContents(rig.journal)).toEqual(before);
    expect(rig.journal.lastCounters.serial).toBe(0);
  });

  it('refuses a service whose device is offline, as a sale would be refused', async () => {
    rig.health.cardReader = { state: 'offline', reason: { zh: '未检测到读卡器', en: 'no reader' } };
    await expect(
      rig.engine.quote('card-bill', { phone: '13800138000', amount: '10' }, TELLER),
    ).rejects.toThrow(expect.objectContaining({ code: 'KIOSK_E_SERVICE_UNAVAILABLE', field: 'service' }));
  });

  it('refuses in safe mode and lists every bad field, changing nothing', async () => {
    const before = await storeContents(rig.journal);
    await expect(rig.engine.quote('test-bill', { phone: '12', amount: 'x' }, TELLER)).rejects.toThrow(
      expect.objectContaining({ code: 'KIOSK_E_INVALID_INPUT' }),
    );
    rig.engine.enterSafeMode({ zh: '检查', en: 'check' });
    await expect(
      rig.engine.quote('test-bill', { phone: '13800138000', amount: '10' }, TELLER),
    ).rejects.toThrow(expect.objectContaining({ code: 'KIOSK_E_SAFE_MODE' }));
    expect(await storeContents(rig.journal)).toEqual(before);
  });
});
