import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GpioConfig } from '../../../devices/gpio/gpio-config.ts';
import { SimGpio } from '../../../devices/gpio/sim-gpio.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';

const config: Omit<GpioConfig, 'driver' | 'backend'> = {
  consumer: 'kiosk-test',
  pollIntervalMs: 10,
  retryIntervalMs: 1000,
  inputs: {
    door: { chip: 0, offset: 17, activeLow: false, bias: 'pull-up', debounceMs: 50 },
    powerFail: { chip: 0, offset: 6, activeLow: true, bias: 'pull-up', debounceMs: 200 },
    paperLow: { chip: 0, offset: 5, activeLow: true, bias: 'pull-up', debounceMs: 100 },
  },
  outputs: {
    statusLight: { chip: 0, offset: 27, activeLow: false },
    buzzer: { chip: 0, offset: 22, activeLow: true },
  },
};

let clock: ManualClock;
let open: boolean;
let gpio: SimGpio;
let events: Array<[string, unknown]>;

function make(cfg = config) {
  gpio = new SimGpio(cfg, { clock, logger: silentLogger(), isBusinessHours: () => open });
  events = [];
  for (const ev of ['door', 'alarm', 'power-fail', 'power-restored', 'paper-low', 'health'] as const) {
    gpio.on(ev, (e: unknown) => events.push([ev, e]));
  }
  return gpio;
}
const names = () => events.map(([e]) => e).filter((e) => e !== 'health');
const chip = () => gpio.chips[0]!;

beforeEach(() => {
  vi.useFakeTimers();
  clock = new ManualClock(1_700_000_000_000);
  open = true;
});
afterEach(async () => {
  await gpio.stop();
  vi.useRealTimers();
});

describe('KioskGpio (on the simulator)', () => {
  it('holds every line under its consumer name, at rest: door shut, mains on, paper fine', async () => {
    await make().start();
    expect(gpio.health()).toMatchObject({ state: 'ok', driver: 'memory' });
    expect([gpio.doorOpen(), gpio.powerFailed(), gpio.paperLow()]).toEqual([false, false, false]);
    for (const o of [17, 6, 5, 27, 22]) expect(chip().consumer(o)).toBe('kiosk-test');
    expect(chip().level(22)).toBe(1); // active-low buzzer is silent when high
    expect(names()).toEqual([]);
  });

  it('door found open at start outside business hours raises the alarm (atStart)', async () => {
    open = false;
    make().openDoor();
    await gpio.start();
    expect(events).toContainEqual([
      'alarm',
      { reason: 'door-opened-outside-hours', at: clock.now(), atStart: true },
    ]);
    expect(names()).not.toContain('door');
  });

  it('power fail: ignores dips shorter than the debounce, reports failure and restoration', async () => {
    await make().start();
    gpio.setInput('powerFail', true);
    await vi.advanceTimersByTimeAsync(150);
    gpio.setInput('powerFail', false);
    await vi.advanceTimersByTimeAsync(500);
    expect(names()).toEqual([]);
    gpio.setInput('powerFail', true);
    clock.advance(1000);
    await vi.advanceTimersByTimeAsync(220);
    expect(gpio.powerFailed()).toBe(true);
    expect(events).toContainEqual(['power-fail', { at: clock.now() }]);
    gpio.setInput('powerFail', false);
    await vi.advanceTimersByTimeAsync(220);
    expect(names()).toEqual(['power-fail', 'power-restored']);
  });

  it('power already failed at start is reported at start', async () => {
    make().setInput('powerFail', true);
    await gpio.start();
    expect(names()).toEqual(['power-fail']);
  });

  it('paper-low sensor reports both ways', async () => {
    await make().start();
    gpio.setInput('paperLow', true);
    await vi.advanceTimersByTimeAsync(120);
    gpio.setInput('paperLow', false);
    await vi.advanceTimersByTimeAsync(120);
    expect(events.filter(([e]) => e === 'paper-low').map(([, v]) => (v as { low: boolean }).low)).toEqual([
      true,
      false,
    ]);
  });

  it('unfitted signals read as unknown', async () => {
    await make({ ...config, inputs: { ...config.inputs, door: null, paperLow: null } }).start();
    expect(gpio.doorOpen()).toBeNull();
    expect(gpio.paperLow()).toBeNull();
    expect(() => gpio.openDoor()).toThrow(/no door/);
  });

  it('beeps the pattern on an active-low buzzer; a new beep cuts the old one short', async () => {
    await make().start();
    const trace: number[] = [];
    const first = gpio.beep({ count: 3, onMs: 100, offMs: 50 });
    for (let t = 0; t < 400; t += 25) {
      trace.push(gpio.outputActive('buzzer') ? 1 : 0);
      await vi.advanceTimersByTimeAsync(25);
    }
    await first;
    expect(trace.join('')).toBe('1111' + '00' + '1111' + '00' + '1111');
    const long = gpio.beep({ count: 10, onMs: 1000, offMs: 1000 });
    expect(gpio.outputActive('buzzer')).toBe(true);
    const short = gpio.beep({ count: 1, onMs: 10, offMs: 0 });
    await long;
    await vi.advanceTimersByTimeAsync(10);
    await short;
    expect(gpio.outputActive('buzzer')).toBe(false);
    expect(() => gpio.beep({ count: 1, onMs: 0, offMs: 0 })).toThrow(RangeError);
  });

  it('a line held by another program: degraded, then taken once free', async () => {
    make();
    chip().request(5, 'other-program', 'in');
    await gpio.start();
    expect(gpio.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_BUSY' } });
    chip().release(5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(gpio.health().state).toBe('ok');
    expect(chip().consumer(5)).toBe('kiosk-test');
  });

  it('chip gone: offline, state kept; back: lines reopened, light pattern re-applied, no false events', async () => {
    await make().start();
    gpio.setStatusLight('on');
    chip().setPresent(false);
    await vi.advanceTimersByTimeAsync(20);
    // Inputs fail at the next sample; outputs only when next written.
    expect(gpio.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_ABSENT' } });
    gpio.setStatusLight('on');
    await gpio.beep({ count: 1, onMs: 10, offMs: 0 });
    expect(gpio.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_ABSENT' } });
    expect(gpio.doorOpen()).toBe(false);
    chip().setPresent(true);
    gpio.closeDoor();
    await vi.advanceTimersByTimeAsync(1000);
    expect(gpio.health().state).toBe('ok');
    expect(gpio.outputActive('statusLight')).toBe(true);
    expect(names()).toEqual([]);
    gpio.openDoor();
    await vi.advanceTimersByTimeAsync(60);
    expect(names()).toEqual(['door']);
  });

  it('stop turns outputs off and releases every line', async () => {
    await make().start();
    gpio.setStatusLight({ blink: { onMs: 100, offMs: 100 } });
    void gpio.beep({ count: 5, onMs: 100, offMs: 100 });
    await gpio.stop();
    expect(gpio.outputActive('statusLight')).toBe(false);
    expect(gpio.outputActive('buzzer')).toBe(false);
    for (const o of [17, 6, 5, 27, 22]) expect(chip().consumer(o)).toBeNull();
    expect(gpio.health().state).toBe('offline');
    expect(() => gpio.setStatusLight({ blink: { onMs: 0, offMs: 1 } })).toThrow(RangeError);
  });
});
