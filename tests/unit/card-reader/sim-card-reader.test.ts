import { describe, expect, it } from 'vitest';
import { createCardReader } from '../../../devices/card-reader/index.ts';
import { PcscCardReader } from '../../../devices/card-reader/pcsc-card-reader.ts';
import { SimCardReader } from '../../../devices/card-reader/sim-card-reader.ts';
import { demoElectricityCard } from '../../../devices/card-reader/virtual-electricity-card.ts';
import type { DeviceHealth } from '../../../devices/device.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';

const config = {
  readerNamePattern: '',
  transmitTimeoutMs: 1000,
  retryIntervalMs: 1000,
  removalSettleMs: 500,
  pcscdSocket: '/run/pcscd/pcscd.comm',
  simCard: null,
};
const deps = { clock: new ManualClock(1_000), logger: silentLogger() };

describe('SimCardReader', () => {
  it('starts without a reader when told, and reports health once per transition', async () => {
    const clock = new ManualClock(5);
    const r = new SimCardReader({ transmitTimeoutMs: 100, attached: false }, { clock });
    const health: DeviceHealth[] = [];
    r.on('health', (h) => health.push(h));
    await r.start();
    expect(r.health()).toMatchObject({
      state: 'offline',
      reason: { code: 'DEVICE_E_ABSENT' },
      driver: 'sim',
    });
    r.insertCard(demoElectricityCard('3301000001'));
    expect(r.cardPresent()).toBe(false);
    clock.set(10);
    r.attachReader();
    r.attachReader();
    expect(r.cardPresent()).toBe(true);
    expect(health.map((h) => [h.state, h.since])).toEqual([
      ['offline', 5],
      ['ok', 10],
    ]);
    expect(() => r.insertCard(demoElectricityCard('1'))).toThrow(/already/);
  });
});

describe('createCardReader', () => {
  it('builds the simulator, the PC/SC driver (not started) or a not-fitted reader', async () => {
    expect(await createCardReader({ driver: 'sim', ...config }, deps)).toBeInstanceOf(SimCardReader);
    const real = await createCardReader({ driver: 'real', ...config }, deps);
    expect(real).toBeInstanceOf(PcscCardReader);
    expect(real.health().state).toBe('offline');
    const none = await createCardReader({ driver: 'none', ...config }, deps);
    await none.start();
    expect(none.health()).toMatchObject({
      state: 'offline',
      driver: 'none',
      reason: { code: 'DEVICE_E_UNSUPPORTED' },
    });
    expect(none.readerName()).toBeNull();
    await expect(none.connect()).rejects.toMatchObject({ code: 'DEVICE_E_UNSUPPORTED' });
  });
});
