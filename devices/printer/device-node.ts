import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { DeviceErrorCode } from '../device.ts';

/**
 * A character-device node opened non-blocking (usblp `/dev/usb/lpN`, or a FIFO / pty standing in
 * for it). Writes and reads never block a libuv thread: "would block" comes back as 0 bytes /
 * no byte, and the caller decides how long to retry. Other errors are thrown as they are.
 */
export class DeviceNode {
  private constructor(
    private readonly fh: FileHandle,
    /** Identity of the opened node: a replugged printer gets a new inode. */
    readonly ino: number,
    readonly rdev: number,
  ) {}

  /** Opens for writing, and for reading too when `readable` (status answers). */
  static async open(path: string, readable: boolean): Promise<DeviceNode> {
    const flags =
      (readable ? constants.O_RDWR : constants.O_WRONLY) | constants.O_NONBLOCK | constants.O_NOCTTY;
    const fh = await open(path, flags);
    try {
      const st = await fh.stat();
      return new DeviceNode(fh, st.ino, st.rdev);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
  }

  /** Bytes the device accepted now; 0 when it would block (buffer full). */
  async writeSome(bytes: Uint8Array, offset: number, length: number): Promise<number> {
    try {
      return (await this.fh.write(bytes, offset, length, null)).bytesWritten;
    } catch (e) {
      if (wouldBlock(e)) return 0;
      throw e;
    }
  }

  /** The next byte if one is waiting. */
  async readByte(): Promise<number | undefined> {
    const buf = Buffer.alloc(1);
    try {
      const { bytesRead } = await this.fh.read(buf, 0, 1, null);
      return bytesRead === 1 ? buf[0] : undefined;
    } catch (e) {
      if (wouldBlock(e)) return undefined;
      throw e;
    }
  }

  /** Discards whatever the device sent unasked; never throws. */
  async drain(): Promise<void> {
    const buf = Buffer.alloc(64);
    for (;;) {
      const n = await this.fh.read(buf, 0, buf.length, null).then(
        (r) => r.bytesRead,
        () => 0,
      );
      if (n === 0) return;
    }
  }

  isSameNode(st: { ino: number; rdev: number }): boolean {
    return st.ino === this.ino && st.rdev === this.rdev;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

export function errno(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function wouldBlock(e: unknown): boolean {
  const code = errno(e);
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Why opening the node failed, for health. */
export function openFailure(e: unknown, device: string): { code: DeviceErrorCode; zh?: string; en?: string } {
  const code = errno(e);
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'DEVICE_E_IO',
      zh: '无权访问凭条打印机设备（需加入 lp 组）',
      en: `no permission to open ${device} (add the kiosk user to group lp)`,
    };
  }
  // ENOENT: not plugged in; ENXIO/ENODEV: a node with no device behind it (or a FIFO without reader).
  return { code: code === 'ENOENT' ? 'DEVICE_E_ABSENT' : 'DEVICE_E_DISCONNECTED' };
}

/**
 * Device error for a failed read or write. usblp returns ENOSPC for paper out when the printer
 * signals it on the IEEE 1284 status lines; EIO/ENODEV when it was unplugged; a FIFO without a
 * reader gives EPIPE.
 */
export function ioFailure(e: unknown): DeviceErrorCode {
  const code = errno(e);
  if (code === 'ENOSPC') return 'DEVICE_E_PAPER_OUT';
  if (['EIO', 'ENODEV', 'ENXIO', 'EPIPE', 'EBADF'].includes(code)) return 'DEVICE_E_DISCONNECTED';
  return 'DEVICE_E_IO';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
