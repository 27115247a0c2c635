import type { DeviceHealth } from '../../devices/device.ts';
import { DeviceError } from '../../devices/device.ts';
import { receiptEncoder } from '../../devices/printer/index.ts';
import type { KioskConfig } from '../config/schema.ts';
import { businessDate, toLocal } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import { maskDeep } from '../core/mask.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';
import type { Receipt } from '../receipts/receipt.ts';
import type { KioskDevices } from './device-wiring.ts';

/** The devices an operator sees on the console; `gpio` is shown but offers no action. */
export const DEVICE_NAMES = ['printer', 'card-reader', 'led', 'gpio'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];
export type DeviceActionName = 'test-page' | 'reconnect';

/** What each device is called and what an operator may do with it: one table for API, CLI and screen. */
export const DEVICE_TABLE: Record<
  DeviceName,
  { zh: string; en: string; actions: ReadonlyArray<{ name: DeviceActionName; zh: string; en: string }> }
> = {
  printer: {
    zh: '凭条打印机',
    en: 'Receipt printer',
    actions: [
      { name: 'test-page', zh: '打印测试页', en: 'Print a test page' },
      { name: 'reconnect', zh: '重新连接', en: 'Reconnect' },
    ],
  },
  'card-reader': {
    zh: 'IC 卡读卡器',
    en: 'IC card reader',
    actions: [{ name: 'reconnect', zh: '重新连接', en: 'Reconnect' }],
  },
  led: {
    zh: '屋顶 LED 屏',
    en: 'Roof LED sign',
    actions: [{ name: 'reconnect', zh: '重新连接', en: 'Reconnect' }],
  },
  gpio: { zh: '门磁与灯光', en: 'Door sensor and lights', actions: [] },
};

export interface DeviceView {
  name: DeviceName;
  title: { zh: string; en: string };
  driver: string;
  state: DeviceHealth['state'];
  reason: { code: string; zh: string; en: string } | null;
  since: number;
  /** What the operator needs to know beyond the state (paper, card, what the sign shows). */
  detail: Record<string, unknown>;
  actions: Array<{ name: DeviceActionName; zh: string; en: string }>;
}

export interface TestPageResult {
  outcome: 'printed' | 'failed';
  reason: { code: string; zh: string; en: string } | null;
  device: DeviceView;
}

export interface DeviceDeskDeps {
  devices: () => KioskDevices | undefined;
  journal: Journal;
  clock: Clock;
  config: () => KioskConfig;
  logger: Logger;
}

/**
 * The operator's actions on the devices: each device's state, a printer test page and reconnecting
 * the printer, the card reader or the LED sign. Every action is journaled as an `operator` event
 * before it touches the device (intent) and again with its outcome.
 */
export class DeviceDesk {
  constructor(private readonly deps: DeviceDeskDeps) {}

  async list(): Promise<DeviceView[]> {
    const out: DeviceView[] = [];
    for (const name of DEVICE_NAMES) out.push(await this.view(name));
    return out;
  }

  async view(name: DeviceName): Promise<DeviceView> {
    const d = this.devices();
    const health =
      name === 'printer'
        ? d.printer.health()
        : name === 'card-reader'
          ? d.cardReader.health()
          : name === 'led'
            ? d.display.health()
            : d.gpio.health();
    const t = DEVICE_TABLE[name];
    return {
      name,
      title: { zh: t.zh, en: t.en },
      driver: health.driver,
      state: health.state,
      reason: health.reason ? { ...health.reason } : null,
      since: health.since,
      detail: await this.detail(name, d),
      actions: t.actions.map((a) => ({ ...a })),
    };
  }

  /** Prints a test page straight to the printer (never queued: the answer says whether it printed). */
  async testPage(operator: string): Promise<TestPageResult> {
    const d = this.devices();
    const now = this.deps.clock.now();
    const jobId = `TEST${toLocal(now).date}${toLocal(now).hhmmss}`;
    await this.note({ device: 'printer', action: 'test-page', operator, phase: 'intent', jobId });
    let reason: TestPageResult['reason'] = null;
    try {
      const bytes = receiptEncoder(this.deps.config().devices.printer)(this.testSlip(jobId, operator, now));
      await d.printer.print(bytes, jobId);
    } catch (e) {
      reason = reasonOf(e);
    }
    const outcome = reason ? 'failed' : 'printed';
    await this.note({
      device: 'printer',
      action: 'test-page',
      operator,
      phase: 'outcome',
      jobId,
      outcome,
      reason,
    });
    this.deps.logger.info({ operator, outcome, reason: reason?.code }, 'printer test page');
    return { outcome, reason, device: await this.view('printer') };
  }

  /**
   * Closes the device and opens it again now. A card reader lending out a card session is not
   * touched: KIOSK_E_ACTION_NOT_ALLOWED naming `device`, journaled as refused.
   */
  async reconnect(name: string, operator: string): Promise<DeviceView> {
    const device = this.reconnectable(name);
    await this.note({ device: name, action: 'reconnect', operator, phase: 'intent' });
    try {
      await device.reconnect();
    } catch (e) {
      const reason = reasonOf(e);
      await this.note({
        device: name,
        action: 'reconnect',
        operator,
        phase: 'outcome',
        outcome: 'refused',
        reason,
      });
      throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
        field: 'device',
        zh: `现在不能重新连接：${reason.zh}`,
        en: `cannot reconnect now: ${reason.en}`,
      });
    }
    const view = await this.view(name as DeviceName);
    await this.note({
      device: name,
      action: 'reconnect',
      operator,
      phase: 'outcome',
      outcome: view.state,
      reason: view.reason,
    });
    this.deps.logger.info({ operator, device: name, state: view.state }, 'device reconnected');
    return view;
  }

  private reconnectable(name: string) {
    const d = this.devices();
    if (name === 'printer') return d.printer;
    if (name === 'card-reader') return d.cardReader;
    if (name === 'led') return d.display;
    throw new KioskError('KIOSK_E_NOT_FOUND', {
      field: 'device',
      zh: `没有可重新连接的设备 ${name}（可选：printer、card-reader、led）`,
      en: `no device ${name} to reconnect (printer, card-reader or led)`,
    });
  }

  private async detail(name: DeviceName, d: KioskDevices): Promise<Record<string, unknown>> {
    if (name === 'printer') {
      const s = await d.printer.status().catch(() => null);
      return {
        paper: s?.paper ?? 'unknown',
        cover: s?.cover ?? 'unknown',
        paperWidth: d.printer.paperWidth,
        needsReprint: d.printQueue.pending().length,
      };
    }
    if (name === 'card-reader')
      return { reader: d.cardReader.readerName(), cardPresent: d.cardReader.cardPresent() };
    if (name === 'led') {
      const snap = d.sign.snapshot();
      // What the sign shows is public, but masked as the sign masks it.
      return maskDeep({ showing: snap.showing?.text ?? null, brightness: snap.brightness ?? null }) as Record<
        string,
        unknown
      >;
    }
    return {};
  }

  private testSlip(jobId: string, operator: string, now: number): Receipt {
    const c = this.deps.config();
    const p = this.devices().printer;
    return {
      title: { zh: '打印测试页', en: 'Printer test page' },
      stationId: c.stationId,
      stationName: c.stationName,
      serial: jobId,
      businessDate: businessDate(now, c.business.dayCut),
      time: now,
      operator,
      serviceName: '打印测试',
      lines: [
        { label: '驱动', value: p.health().driver },
        { label: '纸宽', value: `${p.paperWidth}mm` },
        { label: '中文', value: '便民服务亭凭条测试' },
        { label: '字母', value: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
        { label: '数字', value: '0123456789' },
      ],
      amount: '0.00',
      fee: '0.00',
      total: '0.00',
      reprint: false,
      footer: ['打印正常即可收起本页 / test page: not a receipt'],
    };
  }

  private note(info: Record<string, unknown>): Promise<unknown> {
    return this.deps.journal.commit((b) => {
      b.event({ type: 'operator', info: { kind: 'device-action', ...info } });
    });
  }

  private devices(): KioskDevices {
    const d = this.deps.devices();
    if (!d)
      throw new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
        field: 'device',
        zh: '设备未启动',
        en: 'the devices are not running',
      });
    return d;
  }
}

function reasonOf(e: unknown): { code: string; zh: string; en: string } {
  if (e instanceof DeviceError) return { code: e.code, zh: e.zh, en: e.en };
  const msg = e instanceof Error ? e.message : String(e);
  return { code: 'DEVICE_E_IO', zh: `设备出错：${msg}`, en: `device error: ${msg}` };
}
