import { EventEmitter } from 'node:events';
import { rename, writeFile } from 'node:fs/promises';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ByteLink, ByteLinkEvents } from './byte-link.ts';
import type { DisplayConfig } from './display-config.ts';
import { displayError } from './display-errors.ts';
import type { Frame } from './frame.ts';
import { frameToAnsi, frameToPng } from './frame-render.ts';
import { LedControllerEmulator } from './led-controller-emulator.ts';
import { NakReason } from './led-protocol.ts';
import { LinkDisplay } from './link-display.ts';

/** Terminal and PNG previews are redrawn at most this often (ms); the last frame always lands. */
export const PREVIEW_INTERVAL_MS = 250;

export interface Preview {
  frame: Frame;
  brightness: number;
}

class MemoryLink extends EventEmitter<ByteLinkEvents> implements ByteLink {
  closed = false;
  constructor(private readonly controller: LedControllerEmulator) {
    super();
  }
  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(displayError('disconnected', 'simulated sign unplugged'));
    const copy = Uint8Array.from(bytes);
    queueMicrotask(() => this.controller.receive(copy));
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.end(undefined);
    return Promise.resolve();
  }
  end(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', err);
  }
}

/** The cable between the host and the emulated controller; it can be unplugged. */
class SimWire {
  plugged = true;
  link: MemoryLink | undefined;
  constructor(readonly controller: LedControllerEmulator) {
    controller.on('reply', (bytes) => {
      const link = this.link;
      if (link && !link.closed) queueMicrotask(() => link.emit('data', bytes));
    });
  }
  async open(): Promise<ByteLink> {
    if (!this.plugged) throw displayError('absent', 'simulated sign unplugged');
    this.link = new MemoryLink(this.controller);
    return this.link;
  }
  unplug(): void {
    this.plugged = false;
    this.link?.end(new Error('simulated sign unplugged'));
    this.controller.powerCycle();
  }
}

/**
 * The simulator: the same protocol driver as the serial sign, talking to an emulated controller
 * over an in-memory wire. What the emulated panel shows is the preview (latestPreview /
 * onPreview), optionally drawn on the terminal and into a PNG. Test controls reproduce real
 * failures: unplug/replug, slow ACKs, NAKs, lost ACKs.
 */
export class SimDisplay extends LinkDisplay {
  readonly controller: LedControllerEmulator;
  private readonly wire: SimWire;
  private readonly previews = new EventEmitter<{ preview: [Preview] }>();
  private previewTimer: NodeJS.Timeout | undefined;
  private lastPreviewAt = 0;
  private drawnLines = 0;
  private readonly onEmulator = () => this.previewChanged();

  constructor(
    private readonly config: DisplayConfig,
    private readonly deps: { clock: Clock; logger: Logger; terminal?: NodeJS.WritableStream },
  ) {
    const controller = new LedControllerEmulator(config.widthPx, config.heightPx);
    const wire = new SimWire(controller);
    super({
      driver: 'sim',
      width: config.widthPx,
      height: config.heightPx,
      ackTimeoutMs: config.serial.ackTimeoutMs,
      retries: config.serial.retries,
      keepAliveMs: config.serial.keepAliveMs,
      reconnect: config.reconnect,
      open: () => wire.open(),
      clock: deps.clock,
      logger: deps.logger,
    });
    this.controller = controller;
    this.wire = wire;
  }

  override async start(): Promise<void> {
    this.controller.on('frame', this.onEmulator);
    this.controller.on('brightness', this.onEmulator);
    await super.start();
  }

  override async stop(): Promise<void> {
    this.controller.off('frame', this.onEmulator);
    this.controller.off('brightness', this.onEmulator);
    clearTimeout(this.previewTimer);
    this.previewTimer = undefined;
    await super.stop();
  }

  /** What the emulated panel shows right now. */
  latestPreview(): Preview {
    return { frame: this.controller.framebuffer, brightness: this.controller.brightness };
  }

  /** Every change of the panel, unthrottled (for the local UI's live preview). Returns unsubscribe. */
  onPreview(listener: (p: Preview) => void): () => void {
    this.previews.on('preview', listener);
    return () => this.previews.off('preview', listener);
  }

  /** Test control: pull the cable. The link drops and re-opening fails until `plugIn()`. */
  disconnect(): void {
    this.wire.unplug();
  }

  /** Test control: plug the cable back; the driver's reconnect loop (or `reconnect()`) finds it. */
  plugIn(): void {
    this.wire.plugged = true;
  }

  setAckDelay(ms: number): void {
    this.controller.setAckDelay(ms);
  }

  nakNext(n: number, reason: number = NakReason.BUSY): void {
    this.controller.nakNext(n, reason);
  }

  dropNextAcks(n: number): void {
    this.controller.dropNextAcks(n);
  }

  private pngWriting = false;
  private pngAgain = false;

  private previewChanged(): void {
    const p = this.latestPreview();
    this.previews.emit('preview', p);
    if (!this.config.sim.terminal && !this.config.sim.pngPath) return;
    if (this.previewTimer) return;
    const wait = Math.max(0, this.lastPreviewAt + PREVIEW_INTERVAL_MS - this.deps.clock.now());
    this.previewTimer = setTimeout(() => {
      this.previewTimer = undefined;
      this.lastPreviewAt = this.deps.clock.now();
      void this.drawPreview(this.latestPreview());
    }, wait);
  }

  private async drawPreview(p: Preview): Promise<void> {
    if (this.config.sim.terminal) {
      const out = this.deps.terminal ?? process.stdout;
      const art = frameToAnsi(p.frame, p.brightness);
      out.write(`${this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r` : ''}${art}\n`);
      this.drawnLines = art.split('\n').length;
    }
    const path = this.config.sim.pngPath;
    if (path) await this.writePng(path, p);
  }

  /**
   * One PNG write at a time through one temporary file: a frame that changes while a write is
   * under way (a slow disk) is written when it ends, so the newest frame always lands last.
   */
  private async writePng(path: string, p: Preview): Promise<void> {
    if (this.pngWriting) {
      this.pngAgain = true;
      return;
    }
    this.pngWriting = true;
    try {
      await writeFile(`${path}.tmp`, frameToPng(p.frame, this.config.sim.pngScale, p.brightness));
      await rename(`${path}.tmp`, path);
    } catch (e) {
      this.deps.logger.warn({ err: (e as Error).message, path }, 'LED preview PNG not written');
    } finally {
      this.pngWriting = false;
    }
    if (this.pngAgain) {
      this.pngAgain = false;
      await this.writePng(path, this.latestPreview());
    }
  }
}
