import type { Clock } from '../../src/core/clock.ts';
import type { DeviceNode } from './device-node.ts';
import { sleep } from './device-node.ts';
import {
  DLE_EOT,
  isRealtimeStatusByte,
  isTransmitStatusByte,
  parseOfflineCause,
  parsePaperSensor,
  parseTransmitStatus,
} from './escpos-status.ts';
import type { PrinterStatus } from './printer.ts';

/**
 * The status conversation with a bidirectional ESC/POS printer over its device node: real-time
 * status (DLE EOT 2 and 4) and the answer to a job's closing GS r 1. Time limits in ms; "no
 * answer in time" is `undefined`; I/O errors from the node propagate unchanged.
 */
export interface StatusLinkDeps {
  clock: Clock;
  /** Pause between polls of a non-blocking node, in ms. */
  retryMs: number;
  /** False once the driver stops: waiting ends at once. */
  alive: () => boolean;
}

export class StatusLink {
  constructor(private readonly deps: StatusLinkDeps) {}

  /** Paper and cover now; stray bytes already received (late GS r answers) are dropped first. */
  async realtime(dev: DeviceNode, timeoutMs: number): Promise<PrinterStatus | undefined> {
    await dev.drain();
    const offline = await this.ask(dev, DLE_EOT.offline, timeoutMs);
    if (offline === undefined) return undefined;
    const sensor = await this.ask(dev, DLE_EOT.paper, timeoutMs);
    if (sensor === undefined) return undefined;
    const cause = parseOfflineCause(offline);
    return {
      online: true,
      paper: cause.stoppedByPaperEnd ? 'out' : parsePaperSensor(sensor),
      cover: cause.coverOpen ? 'open' : 'closed',
      at: this.deps.clock.now(),
    };
  }

  /** The paper state the printer reports when it reaches GS r 1, i.e. once the job printed. */
  async transmitStatus(dev: DeviceNode, timeoutMs: number): Promise<'ok' | 'low' | 'out' | undefined> {
    const b = await this.readWithin(dev, isTransmitStatusByte, timeoutMs);
    return b === undefined ? undefined : parseTransmitStatus(b);
  }

  private async ask(dev: DeviceNode, query: Uint8Array, timeoutMs: number): Promise<number | undefined> {
    if (!(await this.writeWithin(dev, query, timeoutMs))) return undefined;
    return this.readWithin(dev, isRealtimeStatusByte, timeoutMs);
  }

  private async writeWithin(dev: DeviceNode, data: Uint8Array, timeoutMs: number): Promise<boolean> {
    const deadline = this.deps.clock.now() + timeoutMs;
    let done = 0;
    while (done < data.length) {
      const n = await dev.writeSome(data, done, data.length - done);
      done += n;
      if (n > 0) continue;
      if (!this.deps.alive() || this.deps.clock.now() >= deadline) return false;
      await sleep(this.deps.retryMs);
    }
    return true;
  }

  /** Next byte matching `accept`; other bytes are dropped. */
  private async readWithin(
    dev: DeviceNode,
    accept: (b: number) => boolean,
    timeoutMs: number,
  ): Promise<number | undefined> {
    const deadline = this.deps.clock.now() + timeoutMs;
    while (this.deps.alive()) {
      const b = await dev.readByte();
      if (b !== undefined) {
        if (accept(b)) return b;
        continue;
      }
      if (this.deps.clock.now() >= deadline) return undefined;
      await sleep(this.deps.retryMs);
    }
    return undefined;
  }
}

/** True when a job ends with GS r 1 (receiptline adds it): the printer will say when it is done. */
export function endsWithStatusRequest(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 3 &&
    bytes[n - 3] === 0x1d &&
    bytes[n - 2] === 0x72 &&
    (bytes[n - 1] === 0x31 || bytes[n - 1] === 0x01)
  );
}
