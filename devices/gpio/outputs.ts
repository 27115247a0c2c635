import type { BeepPattern, LightPattern } from './gpio.ts';
import type { Level } from './gpio-driver.ts';

/** Where an output pattern writes; `write` throws when the line has gone away. */
export interface OutputSink {
  write(value: Level): void;
}

/** Drives a status light with a steady or blinking pattern; remembers it while the line is missing. */
export class StatusLight {
  private pattern: LightPattern = 'off';
  private timer: NodeJS.Timeout | null = null;
  private sink: OutputSink | null = null;

  constructor(private readonly onError: (err: unknown) => void) {}

  current(): LightPattern {
    return this.pattern;
  }

  /** Connects (or disconnects with null) the line and re-applies the current pattern. */
  attach(sink: OutputSink | null): void {
    this.sink = sink;
    this.apply();
  }

  set(pattern: LightPattern): void {
    if (typeof pattern === 'object' && (pattern.blink.onMs < 1 || pattern.blink.offMs < 1)) {
      throw new RangeError('blink times must be at least 1 ms');
    }
    this.pattern = pattern;
    this.apply();
  }

  stop(): void {
    this.clear();
    this.write(0);
  }

  private apply(): void {
    this.clear();
    const p = this.pattern;
    if (p === 'off' || p === 'on') return void this.write(p === 'on' ? 1 : 0);
    const phase = (on: boolean) => {
      if (!this.write(on ? 1 : 0)) return;
      this.timer = setTimeout(() => phase(!on), on ? p.blink.onMs : p.blink.offMs);
    };
    phase(true);
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private write(v: Level): boolean {
    if (!this.sink) return false;
    try {
      this.sink.write(v);
      return true;
    } catch (e) {
      this.clear();
      this.onError(e);
      return false;
    }
  }
}

/** Plays beep patterns; a new pattern cuts the running one short (which then resolves). */
export class Buzzer {
  private sink: OutputSink | null = null;
  private running: { timer: NodeJS.Timeout | null; done: () => void } | null = null;

  constructor(private readonly onError: (err: unknown) => void) {}

  attach(sink: OutputSink | null): void {
    if (sink) {
      this.sink = sink;
      return;
    }
    this.sink = null;
    this.cut();
  }

  beep(p: BeepPattern): Promise<void> {
    if (!Number.isInteger(p.count) || p.count < 0 || p.onMs < 1 || p.offMs < 0) {
      throw new RangeError('beep needs count ≥ 0, onMs ≥ 1, offMs ≥ 0');
    }
    this.cut();
    if (!this.sink || p.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const run = { timer: null as NodeJS.Timeout | null, done: resolve };
      this.running = run;
      let left = p.count;
      const on = () => {
        if (!this.write(1)) return this.finish(run);
        run.timer = setTimeout(off, p.onMs);
      };
      const off = () => {
        this.write(0);
        left--;
        if (left <= 0) return this.finish(run);
        run.timer = setTimeout(on, p.offMs);
      };
      on();
    });
  }

  stop(): void {
    this.cut();
  }

  private cut(): void {
    const r = this.running;
    if (!r) return;
    this.running = null;
    if (r.timer) clearTimeout(r.timer);
    this.write(0);
    r.done();
  }

  private finish(r: { done: () => void }): void {
    if (this.running === r) this.running = null;
    r.done();
  }

  private write(v: Level): boolean {
    if (!this.sink) return false;
    try {
      this.sink.write(v);
      return true;
    } catch (e) {
      this.onError(e);
      return false;
    }
  }
}
