import { hash } from 'node:crypto';
import { constants, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Hash chain over the event log. Every event carries `prev`, the chain value of every event before
 * it; the chain value after event n is `link(prev_n, stored value of event n)`. A lost, replaced or
 * rolled-back event breaks the chain, whatever LevelDB recovers from its own log.
 */
export const GENESIS = '0'.repeat(32);

/** 128-bit chain value (hex) after a stored event value. */
export function link(prev: string, storedValue: string): string {
  // One-shot hash of the concatenation: the same digest as updating with each (prev is hex), at
  // about half the cost of a Hash object per event.
  return hash('sha256', prev + storedValue, 'hex').slice(0, 32);
}

/** The last committed event and the chain value after it, kept outside LevelDB. */
export interface ChainHead {
  event: number;
  chain: string;
  /**
   * Present on a head written beside its group's batch rather than after it: the log ended at
   * event `from[0]`, whose chain value begins with `from[1]` (FROM_DIGITS hex digits), before the
   * group, and still ends there when the group never became durable. Nothing the group holds was
   * acknowledged to anyone before both writes finished.
   */
  from?: [number, string];
}

/** Hex digits of the chain value a head's `from` keeps (64 bits: both slots fit any event number). */
export const FROM_DIGITS = 16;

/** The head to write beside a group's batch, from the durable end before it to the group's end. */
export function aheadOf(durable: ChainHead, group: ChainHead): ChainHead {
  return {
    event: group.event,
    chain: group.chain,
    from: [durable.event, durable.chain.slice(0, FROM_DIGITS)],
  };
}

/** Whether the log's end (event `last`, chain value `chain`) is where `head`'s group began. */
export function endsBeforeGroup(head: ChainHead, last: number, chain: string | null): boolean {
  return head.from?.[0] === last && chain?.startsWith(head.from[1]) === true;
}

function validFrom(from: unknown): boolean {
  return (
    Array.isArray(from) &&
    from.length === 2 &&
    Number.isSafeInteger(from[0]) &&
    typeof from[1] === 'string' &&
    /^[0-9a-f]{16}$/.test(from[1])
  );
}

/** File name of the chain head inside the store's directory (LevelDB ignores names it did not make). */
export const HEAD_FILE = 'KIOSK-CHAIN-HEAD';
const SLOT = 128;

function encodeSlot(h: ChainHead): Buffer {
  const json = JSON.stringify(h);
  const text = `${crc32(json).toString(16).padStart(8, '0')}${json}`;
  // 122 bytes at most (both event numbers at 2^53 - 1); a longer slot would overwrite the other.
  if (Buffer.byteLength(text) > SLOT) throw new RangeError(`chain head does not fit its slot: ${text}`);
  const buf = Buffer.alloc(SLOT, 0x20);
  buf.write(text, 'utf8');
  return buf;
}

function decodeSlot(buf: Buffer): ChainHead | null {
  const text = buf.toString('utf8').trimEnd();
  if (text.length < 9) return null;
  const json = text.slice(8);
  if (crc32(json).toString(16).padStart(8, '0') !== text.slice(0, 8)) return null;
  try {
    const h = JSON.parse(json) as ChainHead;
    if (h.from !== undefined && !validFrom(h.from)) return null;
    return Number.isSafeInteger(h.event) && typeof h.chain === 'string' ? h : null;
  } catch {
    return null;
  }
}

/**
 * The chain head file beside the journal: two fixed 128-byte slots, written in place in turn (to
 * the disk through O_DSYNC, or to the page cache only, see `write`), each with its CRC, so a torn
 * write leaves the previous head in the other slot and the file never grows (it needs no new space
 * on a full disk). Reading takes the valid slot with the higher event number.
 */
export class ChainHeadFile {
  /** Open with O_DSYNC: a write through it is on the disk when it returns. */
  private fh: FileHandle | undefined;
  /** Open without it: a write through it is in the page cache (the disk gets it on writeback). */
  private lazy: FileHandle | undefined;
  private nextSlot = 0;

  constructor(private readonly dir: string) {}

  get path(): string {
    return join(this.dir, HEAD_FILE);
  }

  /** The stored head, or null when the file does not exist or neither slot is valid. */
  async read(): Promise<{ head: ChainHead | null; exists: boolean }> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, constants.O_RDONLY);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { head: null, exists: false };
      throw e;
    }
    try {
      const buf = Buffer.alloc(SLOT * 2);
      const { bytesRead } = await fh.read(buf, 0, SLOT * 2, 0);
      const a = bytesRead >= SLOT ? decodeSlot(buf.subarray(0, SLOT)) : null;
      const b = bytesRead >= SLOT * 2 ? decodeSlot(buf.subarray(SLOT)) : null;
      const bIsNewer = b !== null && (a === null || b.event > a.event);
      this.nextSlot = bIsNewer ? 0 : 1;
      return { head: bIsNewer ? b : a, exists: true };
    } finally {
      await fh.close();
    }
  }

  /**
   * Writes `head` into the slot not holding the current head. Durable (the default): through
   * O_DSYNC, so the write returns once the slot is on the disk (one system call, not a write and an
   * fdatasync one after the other). Not durable: into the page cache only; every process reading
   * the file sees it at once, and the disk gets it on writeback or with the next durable write.
   */
  async write(head: ChainHead, durable = true): Promise<void> {
    if (durable) await (await this.handle()).write(encodeSlot(head), 0, SLOT, this.nextSlot * SLOT);
    // A page-cache write of one slot takes microseconds: done on this thread, it spares the step
    // a trip through the thread pool, which the batch's own write is using.
    else writeSync((await this.lazyHandle()).fd, encodeSlot(head), 0, SLOT, this.nextSlot * SLOT);
    this.nextSlot = 1 - this.nextSlot;
  }

  /** Writes `head` into both slots and makes the file's name durable (a new or migrated store). */
  async reset(head: ChainHead): Promise<void> {
    const fh = await this.handle();
    const buf = encodeSlot(head);
    await fh.write(Buffer.concat([buf, buf]), 0, SLOT * 2, 0);
    const dir = await open(this.dir, constants.O_RDONLY);
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.nextSlot = 0;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    await this.lazy?.close();
    this.fh = undefined;
    this.lazy = undefined;
  }

  private async lazyHandle(): Promise<FileHandle> {
    this.lazy ??= await open(this.path, constants.O_RDWR | constants.O_CREAT, 0o600);
    return this.lazy;
  }

  private async handle(): Promise<FileHandle> {
    this.fh ??= await open(this.path, constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC, 0o600);
    return this.fh;
  }
}
