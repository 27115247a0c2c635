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

describe('service availability follows the devices it needs', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let engine: Engine;
  let hq: FakeHq;
  const health: Record<string, Health> = {};

  beforeEach(async () => {
    dir = await tempDir();
    const config = await testConfig({ services: { enabled: ['test-bill', 'card-bill'], fees: {} } });
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
      fen: 100_00,
      ref: 's',
    });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await journal.close();
    await dir.cleanup();
  });

  it('refuses only the service whose reader is offline, naming the reason, before anything is written', async () => {
    health.cardReader = { state: 'offline', reason: { zh: '未检测到读卡器', en: 'no reader' } };
    health.printer = { state: 'offline' };
    const err = await engine
      .create('card-bill', { phone: '13800138000', amount: '10' }, TELLER)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'KIOSK_E_SERVICE_UNAVAILABLE', field: 'service' });
    expect(err.zh).toContain('读卡器离线（未检测到读卡器）');
    expect(journal.lastCounters.serial).toBe(0);
    // No printer never stops a service: its receipt is queued for reprint instead.
    const t = await engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
    expect((await engine.waitFor(t.serial, (x) => x.terminal)).state).toBe('succeeded');
  });

  it('is available again as soon as the reader is back, and while it is degraded', async () => {
    health.cardReader = { state: 'degraded' };
    expect(engine.unavailable(cardService)).toBeNull();
    health.cardReader = { state: 'ok' };
    const t = await engine.create('card-bill', { phone: '13800138000', amount: '10' }, TELLER);
    expect(t.service).toBe('card-bill');
  });
});
