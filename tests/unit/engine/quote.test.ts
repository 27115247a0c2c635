import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BalanceService } from '../../../src/balance/balance-service.ts';
import { systemClock } from '../../../src/core/clock.ts';
import type { ServiceDefinition } from '../../../src/core/transaction/types.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { ServiceRegistry } from '../../../src/engine/service-registry.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { tempDir, testConfig } from '../../support/kiosk-harness.ts';
import { testBillService } from '../../support/test-service.ts';

const cardService: ServiceDefinition = { ...testBillService, id: 'card-bill', requires: ['cardReader'] };
const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
type Health = { state: 'ok' | 'degraded' | 'offline'; reason?: { zh: string; en: string } };

/** Every key and value of the store, to show that a quote leaves it exactly as it was. */
async function storeContents(journal: Journal): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of journal.raw.iterator()) out.push(`${k}=${v}`);
  return out;
}

describe('a quote is an engine operation that changes nothing', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let engine: Engine;
  let hq: FakeHq;
  let health: Record<string, Health>;

  beforeEach(async () => {
    health = {};
    dir = await tempDir();
    const config = await testConfig({
      services: { enabled: ['test-bill', 'card-bill'], fees: { 'test-bill': '1.50' } },
    });
    journal = new Journal({ path: dir.path, stationId: config.stationId, clock: systemClock });
    await journal.open();
    hq = new FakeHq();
    engine = new Engine({
      journal,
      clock: systemClock,
      config: () => config,
      logger: silentLogger(),
      services: new ServiceRegistry([testBillService, cardService]),
      runners: { hq },
      devices: () => health,
    });
    await new BalanceService(journal, () => config, silentLogger()).applyHqEvent({
      kind: 'topup',
      fen: 50_00,
      ref: 's',
    });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await journal.close();
    await dir.cleanup();
  });

  it('prices a payment with its fee and tells whether the balance covers it, asking no one and writing nothing', async () => {
    const before = await storeContents(journal);
    const q = engine.quote('test-bill', { phone: '13800138000', amount: '20' }, TELLER);
    expect(q.amount.toString()).toBe('20.00');
    expect(q.fee.toString()).toBe('1.50');
    expect(q.balanceSufficient).toBe(true);
    expect(engine.quote('test-bill', { phone: '13800138000', amount: '60' }, TELLER).balanceSufficient).toBe(false);
    expect(hq.requests).toHaveLength(0);
    expect(await storeContents(journal)).toEqual(before);
    expect(journal.lastCounters.serial).toBe(0);
  });

  it('refuses a service whose device is offline, as a sale would be refused', () => {
    health.cardReader = { state: 'offline', reason: { zh: '未检测到读卡器', en: 'no reader' } };
    expect(() => engine.quote('card-bill', { phone: '13800138000', amount: '10' }, TELLER)).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_SERVICE_UNAVAILABLE', field: 'service' }),
    );
  });

  it('refuses in safe mode and lists every bad field, changing nothing', async () => {
    const before = await storeContents(journal);
    expect(() => engine.quote('test-bill', { phone: '12', amount: 'x' }, TELLER)).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_INVALID_INPUT' }),
    );
    engine.enterSafeMode({ zh: '检查', en: 'check' });
    expect(() => engine.quote('test-bill', { phone: '13800138000', amount: '10' }, TELLER)).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_SAFE_MODE' }),
    );
    expect(await storeContents(journal)).toEqual(before);
  });
});
