import { z } from 'zod';
import { devicesConfigSchema } from './devices-config.ts';
import { hqConfigSchema } from './hq-config.ts';
import { mediaPattern, moneyString, serviceId, tenderKind, timeOfDay } from './types.ts';

/**
 * The one configuration schema. Defaults live in config/default.json (not here) so that an operator
 * can read them; this schema refuses unknown keys and reports every problem in one pass.
 */
export const configSchema = z.strictObject({
  /** Station / institution number (机构号), 8 digits. */
  stationId: z.string().regex(/^\d{8}$/, 'must be the 8-digit station number (机构号)'),
  stationName: z.string().min(1).max(60),
  /** The area the kiosk belongs to; electricity accounts of other areas are refused. */
  region: z.strictObject({
    /** The province (省): HQ enables mobile top-up for the cities of a province. */
    province: z.string().min(1),
    /** The city, or for a county kiosk its county: the area whose electricity accounts it collects. */
    city: z.string().min(1),
    /** A city kiosk collects for its city's accounts only, a county kiosk for its own county's only. */
    areaType: z.enum(['city', 'county']),
    areaCode: z.string().regex(/^0\d{2,3}$/, 'must be a telephone area code like "0571"'),
  }),
  /** Where the journal (LevelDB) and other state live. Relative paths are from the working folder. */
  dataDir: z.string().min(1),
  timezone: z.literal('Asia/Shanghai'),
  business: z.strictObject({
    /** Day cut (日切): transactions at or after this local time belong to the next business date. */
    dayCut: timeOfDay,
    hours: z.strictObject({ open: timeOfDay, close: timeOfDay }),
  }),
  balance: z.strictObject({
    /** Below this available balance the operator and HQ are warned to top up. */
    lowWarning: moneyString,
  }),
  operators: z.strictObject({
    maxFailedAttempts: z.int().min(1).max(20),
    lockMinutes: z
      .int()
      .min(1)
      .max(24 * 60),
  }),
  selfService: z.strictObject({
    enabled: z.boolean(),
    /** Services customers may use without an operator. */
    services: z.array(serviceId),
    /** Cap per transaction for every self-service transaction. */
    maxAmount: moneyString,
    /** Tighter caps for single services. */
    perService: z.record(serviceId, moneyString),
    /**
     * How a customer pays before any biller is paid: at the counter (cash to the operator, who
     * confirms it) or by a payment QR issued through HQ. One tender, or the list the screen offers
     * (the first is the default).
     */
    tender: z.union([tenderKind, z.array(tenderKind).min(1)]),
    /** An order not paid within this many seconds expires and changes nothing. */
    orderTtlSec: z
      .int()
      .min(30)
      .max(24 * 60 * 60),
    /** How often an open QR order asks HQ whether it has been paid, ms. */
    qrPollMs: z.int().min(100).max(60_000),
  }),
  services: z.strictObject({
    /** Services enabled at this station (HQ enables a service only after the operator is trained). */
    enabled: z.array(serviceId),
    /** Fee per transaction, from HQ configuration only; missing means no fee. */
    fees: z.record(serviceId, moneyString),
    /**
     * Cities whose mobile numbers mobile top-up accepts here, from HQ configuration only: the
     * cities HQ has opened in this station's province. Empty: no number is accepted.
     */
    mobileRegions: z.array(z.string().min(1).max(20)).max(100),
  }),
  engine: z.strictObject({
    /** How long one request to HQ may take before its outcome counts as unknown. */
    requestTimeoutMs: z.int().min(100).max(600_000),
    /**
     * Bound on a transaction's automatic loop: a step retried with back-off is tried at most this
     * many times in a row, and no step is entered more often than this in one run; past it the
     * transaction stays open with its hold and raises `retries-exhausted` for the operator.
     */
    maxAttempts: z.int().min(1).max(100),
    retryBaseDelayMs: z.int().min(10).max(600_000),
    retryMaxDelayMs: z.int().min(10).max(3_600_000),
    /**
     * The first status queries after a payment that is still pending come this often, ms, so that a
     * biller answering in seconds gives a result in seconds; then every `statusQueryIntervalMs`.
     */
    firstStatusQueryMs: z.int().min(10).max(3_600_000),
    /** How often a transaction waiting for its result asks HQ (缴费查询), ms. */
    statusQueryIntervalMs: z.int().min(10).max(3_600_000),
    /** How often a reversal waiting for upstream processing asks HQ (撤销查询), ms. */
    reversalQueryIntervalMs: z.int().min(10).max(3_600_000),
    /**
     * Every service: a transaction whose outcome is still unknown this long after it started
     * waiting (its creation, or its latest action) raises an alert to the administrator and HQ.
     */
    unknownAlertMs: z.int().min(1000).max(86_400_000),
  }),
  /** Coach e-tickets (长运电子客票). */
  coach: z.strictObject({
    /** A sold ticket can be voided (废票) until this many minutes before its departure. */
    voidBeforeDepartureMin: z
      .int()
      .min(0)
      .max(24 * 60),
    /** Tickets are sold for departures from today up to this many days ahead (预售期). */
    presaleDays: z.int().min(0).max(60),
  }),
  /** Reports. */
  reports: z.strictObject({
    /**
     * Where UnionPay statements (docs/unionpay-statement.md) arrive for credit-card reconciliation
     * on the console: the kiosk's own folder and the removable media it reads. Only regular files
     * named `*.csv` directly inside a folder are offered; links are never followed.
     */
    statements: z.strictObject({
      /** The kiosk's statements folder; null: `statements` inside `dataDir`. Relative to the working folder. */
      dir: z
        .string()
        .min(1)
        .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain a ".." segment')
        .nullable(),
      /**
       * Removable media: absolute folder patterns where a `*` segment stands for any one folder
       * (never a link), e.g. `/media/*\/*` for sticks mounted at /media/<user>/<label>.
       */
      media: z.array(mediaPattern).max(8),
      /** Largest statement read, bytes; a larger file is refused naming the line that passes it. */
      maxBytes: z
        .int()
        .min(1024)
        .max(256 * 1024 * 1024),
    }),
  }),
  http: z.strictObject({
    host: z.string().min(1),
    port: z.int().min(0).max(65535),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** `auto`: readable lines on a terminal, JSON under systemd and into files or pipes. */
    format: z.enum(['auto', 'pretty', 'json']),
  }),
  hq: hqConfigSchema,
  devices: devicesConfigSchema,
});

export type KioskConfig = z.output<typeof configSchema>;
export type KioskConfigInput = z.input<typeof configSchema>;
