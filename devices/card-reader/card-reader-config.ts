import { z } from 'zod';

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression' },
);

/**
 * Config of the card reader (devices.cardReader). `sim` runs the simulator, `real` the PC/SC driver
 * (`@pokusew/pcsclite` against pcscd), `none` means not fitted (the IC-card service is unavailable).
 */
export const cardReaderConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
  /**
   * Regular expression (JavaScript syntax) matched against PC/SC reader names, e.g. "^ACS ACR39U";
   * the first matching reader is used. Empty matches every reader.
   */
  readerNamePattern: regexSource,
  /** Longest wait for one APDU answer, ms; beyond it the exchange fails with DEVICE_E_TIMEOUT. */
  transmitTimeoutMs: z.int().min(100).max(120_000),
  /** Interval between attempts to reach pcscd or a reader after it went away, ms. */
  retryIntervalMs: z.int().min(50).max(60_000),
  /**
   * After an exchange failed without a status word, how long to wait for the reader to report the
   * card gone before the failure is classed as an I/O error rather than a removal, ms.
   */
  removalSettleMs: z.int().min(0).max(10_000),
  /** pcscd's client socket, probed before opening a PC/SC context. */
  pcscdSocket: z.string().min(1),
  /**
   * `sim` only: customer number (用户号) of the demo electricity card the simulated reader holds at
   * start (a fresh card, keys of DEMO_ISSUER_MASTER_KEY); null for an empty reader.
   */
  simCard: z
    .string()
    .regex(/^\d{6,20}$/, 'must be a customer number of 6 to 20 digits')
    .nullable(),
});

export type CardReaderConfig = z.output<typeof cardReaderConfigSchema>;
