import { z } from 'zod';

/**
 * Config of the receipt printer (devices.printer). `sim` runs the simulator, `real` writes to the
 * usblp device node, `none` means not fitted (receipts are kept in the queue for reprint).
 * Defaults live in config/default.json.
 */
export const printerConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
  /** Device node of the kernel usblp driver (`/dev/usb/lp0`) or a udev symlink to it. */
  device: z.string().min(1),
  /** Paper roll width in mm: 58 mm prints 32 characters per line, 80 mm prints 48. */
  paperWidth: z.union([z.literal(58), z.literal(80)]),
  /**
   * receiptline command set. `escpos` prints images and QR codes with GS 8 L / GS ( L (Epson and
   * most 80 mm printers); `generic` uses GS v 0, which more 58 mm clones understand.
   */
  commandSet: z.enum(['escpos', 'generic']),
  /** Chinese text encoding sent after FS & (cp936 = GBK; gb18030 also covers rare characters). */
  encoding: z.enum(['cp936', 'gb18030']),
  /** Cut the paper at the end of each receipt (GS V). */
  cut: z.boolean(),
  /**
   * Read paper/cover status with ESC/POS real-time status (DLE EOT n). Needs a bidirectional
   * printer and a readable device node; when false the driver only writes.
   */
  realtimeStatus: z.boolean(),
  /** Interval between status polls and device-node checks (hot-plug), in ms. */
  statusPollMs: z.int().min(100).max(60_000),
  /** How long to wait for a DLE EOT answer, in ms. */
  statusTimeoutMs: z.int().min(20).max(10_000),
  /** A job that cannot write a byte for this long fails (paper out, cover open or stalled), in ms. */
  stallTimeoutMs: z.int().min(100).max(300_000),
  /** Pending reprints (JSON file queue store), relative to dataDir unless absolute. */
  queueFile: z.string().min(1),
  /** Reprint queued receipts by itself when the printer is ready again (else the operator starts it). */
  autoReprint: z.boolean(),
});

export type PrinterConfig = z.output<typeof printerConfigSchema>;
