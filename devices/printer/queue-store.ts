import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Receipt } from '../../src/receipts/receipt.ts';
import type { DeviceErrorCode } from '../device.ts';

/**
 * Persistence of receipts waiting for a reprint. The queue saves the whole pending list after
 * every change and awaits the save, so a store only needs whole-list load/save; the app may back
 * it with the journal's LevelDB. Receipts hold only masked numbers (the layout guard refuses
 * others), so they may be written to disk.
 */
export interface PendingReceipt {
  /** Job id of the failed attempt. */
  jobId: string;
  serial: string;
  /** The receipt as first requested; reprints add the mark and time. */
  receipt: Receipt;
  reason: { code: DeviceErrorCode; zh: string; en: string };
  /** Part of the receipt may already be on paper. */
  partial: boolean;
  /** Epoch ms when it was queued. */
  queuedAt: number;
  /** Print attempts so far (the first print included). */
  attempts: number;
}

export interface PrintQueueStore {
  load(): Promise<PendingReceipt[]>;
  save(pending: readonly PendingReceipt[]): Promise<void>;
}

export class MemoryPrintQueueStore implements PrintQueueStore {
  private data = '[]';

  async load(): Promise<PendingReceipt[]> {
    return JSON.parse(this.data) as PendingReceipt[];
  }

  async save(pending: readonly PendingReceipt[]): Promise<void> {
    this.data = JSON.stringify(pending);
  }
}

/**
 * One JSON file, replaced atomically: written to a temporary file in the same folder, fsynced,
 * renamed over the old one, then the folder is fsynced. A crash leaves either the old or the new
 * list, never half of one.
 */
export class JsonFilePrintQueueStore implements PrintQueueStore {
  constructor(private readonly path: string) {}

  async load(): Promise<PendingReceipt[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const parsed = JSON.parse(text) as { version?: number; pending?: PendingReceipt[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.pending)) {
      throw new Error(`${this.path}: not a print queue file (version 1)`);
    }
    return parsed.pending;
  }

  async save(pending: readonly PendingReceipt[]): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify({ version: 1, pending }, null, 2)}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}
