import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../src/core/transaction/types.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import type { Journal } from '../../../src/journal/journal.ts';
import { type DeviceHealth, type EngineRig, startEngineRig } from '../../support/engine-rig.ts';
import { testBillService } from '../../support/test-service.ts';

const cardService: ServiceDefinition = { ...testBillService, id: 'card-bill', requires: ['cardReader'] };
const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

describe('service availability follows the devices it needs', () => {
  let rig: EngineRig;
  let journal: Journal;
  let engine: Engine;
  let health: Record<string, DeviceHealth>;

  beforeEach(async () => {
    rig = await startEngineRig({
      services: [testBillService, cardService],
      config: { services: { enabled: ['test-bill', 'card-bill'], fees: {} } },
      balanceFen: 100_00,
    });
    ({ journal, engine, health } = rig);
  });
  afterEach(() => rig.stop());

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
