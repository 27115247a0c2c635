import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth, type DeviceState } from '../device.ts';
import { Debouncer } from './debounce.ts';
import type { BeepPattern, BusinessHours, Gpio, GpioEvents, LightPattern } from './gpio.ts';
import type { GpioConfig, GpioLineConfig } from './gpio-config.ts';
import { type GpioDriver, type InputLine, type Level, mapGpioError, type OutputLine } from './gpio-driver.ts';
import { Buzzer, StatusLight } from './outputs.ts';

export interface KioskGpioDeps {
  driver: GpioDriver;
  clock: Clock;
  logger: Logger;
  isBusinessHours: BusinessHours;
}

type InputName = keyof GpioConfig['inputs'];
type OutputName = keyof GpioConfig['outputs'];
type LineName = InputName | OutputName;
const INPUTS: InputName[] = ['door', 'powerFail', 'paperLow'];
const OUTPUTS: OutputName[] = ['statusLight', 'buzzer'];

/**
 * The Gpio device over any GpioDriver: opens the configured lines, debounces inputs (by change
 * events when the driver has them, by sampling every `pollIntervalMs` otherwise), turns them into
 * kiosk events, and drives the light and buzzer patterns. Lines that cannot be opened, or fail
 * later, are retried every `retryIntervalMs`.
 */
export class KioskGpio extends EventEmitter<GpioEvents> implements Gpio {
  readonly kind = 'gpio' as const;
  private running = false;
  private readonly inputs = new Map<InputName, InputLine>();
  private readonly outputs = new Map<OutputName, OutputLine>();
  private readonly polled = new Set<InputName>();
  private readonly failures = new Map<LineName, DeviceError>();
  private debouncers = new Map<InputName, Debouncer>();
  private readonly light: StatusLight;
  private readonly buzzer: Buzzer;
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private state: DeviceHealth;

  constructor(
    private readonly config: Omit<GpioConfig, 'driver' | 'backend'>,
    private readonly deps: KioskGpioDeps,
  ) {
    super();
    this.light = new StatusLight((e) => this.lineFailed('statusLight', e));
    this.buzzer = new Buzzer((e) => this.lineFailed('buzzer', e));
    this.state = {
      state: 'offline',
      reason: { code: 'DEVICE_E_ABSENT', zh: '设备未启动', en: 'device not started' },
      since: deps.clock.now(),
      driver: deps.driver.name,
    };
  }

  health(): DeviceHealth {
    return this.state;
  }

  doorOpen(): boolean | null {
    return this.levelOf('door');
  }

  powerFailed(): boolean {
    return this.levelOf('powerFail') === true;
  }

  paperLow(): boolean | null {
    return this.levelOf('paperLow');
  }

  setStatusLight(pattern: LightPattern): void {
    this.light.set(pattern);
  }

  beep(pattern: BeepPattern): Promise<void> {
    return this.buzzer.beep(pattern);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.debouncers = new Map();
    for (const name of INPUTS) {
      const spec = this.config.inputs[name];
      if (spec)
        this.debouncers.set(
          name,
          new Debouncer(spec.debounceMs, (v, initial) => this.changed(name, v, initial)),
        );
    }
    this.openMissing();
    this.pollTimer = setInterval(() => this.poll(), this.config.pollIntervalMs);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pollTimer = this.retryTimer = null;
    this.buzzer.stop();
    this.light.stop();
    this.light.attach(null);
    this.buzzer.attach(null);
    for (const d of this.debouncers.values()) d.cancel();
    for (const line of [...this.inputs.values(), ...this.outputs.values()]) safeClose(line);
    this.inputs.clear();
    this.outputs.clear();
    this.polled.clear();
    this.setHealth('offline', new DeviceError('DEVICE_E_ABSENT', 'GPIO 已停止', 'GPIO stopped'));
  }

  private levelOf(name: InputName): boolean | null {
    const v = this.debouncers.get(name)?.value();
    return v === undefined || v === null ? null : v === 1;
  }

  private openMissing(): void {
    const { driver, logger } = this.deps;
    for (const name of INPUTS) {
      const spec = this.config.inputs[name];
      if (!spec || this.inputs.has(name)) continue;
      try {
        const line = driver.openInput(spec, this.config.consumer);
        this.inputs.set(name, line);
        this.failures.delete(name);
        this.debouncers.get(name)?.sample(line.read());
        if (line.watch)
          line.watch(
            (v) => this.debouncers.get(name)?.sample(v),
            (e) => this.lineFailed(name, e),
          );
        else this.polled.add(name);
      } catch (e) {
        this.recordFailure(name, e);
      }
    }
    for (const name of OUTPUTS) {
      const spec = this.config.outputs[name];
      if (!spec || this.outputs.has(name)) continue;
      try {
        const line = driver.openOutput(spec, this.config.consumer, 0);
        this.outputs.set(name, line);
        this.failures.delete(name);
        (name === 'statusLight' ? this.light : this.buzzer).attach(line);
      } catch (e) {
        this.recordFailure(name, e);
      }
    }
    if (this.failures.size > 0) {
      logger.warn({ lines: [...this.failures.keys()] }, 'gpio: some lines are not available, retrying');
      this.scheduleRetry();
    }
    this.updateHealth();
  }

  private recordFailure(name: LineName, e: unknown): void {
    const inputs: Record<string, GpioLineConfig | null> = this.config.inputs;
    const spec = inputs[name] ?? this.config.outputs[name as OutputName];
    if (spec) this.failures.set(name, mapGpioError(e, spec));
  }

  private poll(): void {
    for (const name of this.polled) {
      const line = this.inputs.get(name);
      if (!line) continue;
      let v: Level;
      try {
        v = line.read();
      } catch (e) {
        this.lineFailed(name, e);
        continue;
      }
      this.debouncers.get(name)?.sample(v);
    }
  }

  /** A line stopped working: release it, keep the last debounced state, and retry opening it. */
  private lineFailed(name: LineName, e: unknown): void {
    if (!this.running) return;
    const line = this.inputs.get(name as InputName) ?? this.outputs.get(name as OutputName);
    if (!line) return;
    this.inputs.delete(name as InputName);
    this.outputs.delete(name as OutputName);
    this.polled.delete(name as InputName);
    this.debouncers.get(name as InputName)?.cancel();
    if (name === 'statusLight') this.light.attach(null);
    if (name === 'buzzer') this.buzzer.attach(null);
    safeClose(line);
    this.recordFailure(name, e);
    this.deps.logger.warn({ line: name, detail: this.failures.get(name)?.en }, 'gpio: line failed');
    this.updateHealth();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.openMissing();
    }, this.config.retryIntervalMs);
  }

  private changed(name: InputName, v: Level, initial: boolean): void {
    const at = this.deps.clock.now();
    const active = v === 1;
    if (name === 'door') {
      if (!initial) this.emit('door', { open: active, at });
      if (active && !this.deps.isBusinessHours(at)) {
        this.emit('alarm', { reason: 'door-opened-outside-hours', at, atStart: initial });
      }
    } else if (name === 'powerFail') {
      if (active) this.emit('power-fail', { at });
      else if (!initial) this.emit('power-restored', { at });
    } else if (!initial || active) {
      this.emit('paper-low', { low: active, at });
    }
  }

  private updateHealth(): void {
    const configured =
      INPUTS.filter((n) => this.config.inputs[n]).length +
      OUTPUTS.filter((n) => this.config.outputs[n]).length;
    const first = this.failures.values().next().value;
    if (!first || configured === 0) this.setHealth('ok');
    else this.setHealth(this.failures.size >= configured ? 'offline' : 'degraded', first);
  }

  private setHealth(state: DeviceState, err?: DeviceError): void {
    const reason = err ? { code: err.code, zh: err.zh, en: err.en } : undefined;
    const cur = this.state;
    if (cur.state === state && cur.reason?.code === reason?.code && cur.reason?.en === reason?.en) return;
    this.state = {
      state,
      since: this.deps.clock.now(),
      driver: this.deps.driver.name,
      ...(reason ? { reason } : {}),
    };
    this.emit('health', this.state);
  }
}

function safeClose(line: { close(): void }): void {
  try {
    line.close();
  } catch {
    // Releasing a line that already failed can fail again; nothing more to do.
  }
}
