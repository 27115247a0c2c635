import type { Gpio } from '../../devices/gpio/gpio.ts';
import type { Engine } from '../engine/engine.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * What the kiosk does with its GPIO signals:
 * - door opened outside business hours → networked alarm (联网报警): a journal event (relayed to HQ
 *   through the outbox) and three beeps;
 * - power failure (UPS on battery) → no new transactions, then a clean shutdown through `shutdown`
 *   (the journal is closed, open transactions resume at the next start);
 * - status light: steady while selling, blinking in safe mode.
 */
export class GpioBridge {
  private timer: NodeJS.Timeout | undefined;
  private readonly onAlarm = (a: { reason: string; at: number; atStart: boolean }): void => {
    this.logger.warn(a, 'door alarm');
    this.record('door-alarm', { ...a });
    void this.gpio.beep({ count: 3, onMs: 300, offMs: 200 });
  };
  private readonly onPowerFail = (p: { at: number }): void => {
    this.logger.error(p, 'power failure: stopping new transactions and shutting down');
    this.engine.enterSafeMode({ zh: '市电中断，停止受理', en: 'mains power lost; no new transactions' });
    this.record('power-fail', p);
    this.shutdown();
  };
  private readonly onPaperLow = (p: { low: boolean; at: number }): void => {
    this.logger.warn(p, 'printer paper low');
    this.record('paper-low', p);
  };

  constructor(
    private readonly gpio: Gpio,
    private readonly engine: Engine,
    private readonly journal: Journal,
    private readonly logger: Logger,
    private readonly shutdown: () => void,
  ) {}

  start(): void {
    this.gpio.on('alarm', this.onAlarm);
    this.gpio.on('power-fail', this.onPowerFail);
    this.gpio.on('paper-low', this.onPaperLow);
    const light = (): void =>
      this.gpio.setStatusLight(this.engine.safeMode ? { blink: { onMs: 500, offMs: 500 } } : 'on');
    light();
    this.timer = setInterval(light, 5000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.gpio.off('alarm', this.onAlarm);
    this.gpio.off('power-fail', this.onPowerFail);
    this.gpio.off('paper-low', this.onPaperLow);
    this.gpio.setStatusLight('off');
  }

  private record(kind: string, info: object): void {
    this.journal
      .commit((b) => {
        b.event({ type: 'system', info: { kind, ...info } });
      })
      .catch((e: unknown) => this.logger.error({ err: e, kind }, 'event not recorded'));
  }
}
