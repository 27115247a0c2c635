import { z } from 'zod';
import { Money } from '../core/money.ts';

/** A money amount in config: canonical yuan string with up to 2 decimals, e.g. "200.00". */
export const moneyString = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be a yuan amount like "200.00" (digits, at most 2 decimals)')
  .transform((s) => Money.of(s).toString());

/** Local time of day in Asia/Shanghai, "HH:MM" (24 h). */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" (00:00–23:59)');

/** Service identifiers are kebab-case ids of the service catalogue. */
export const serviceId = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a kebab-case service id');

/** How a self-service customer pays: cash at the counter, or a payment QR through HQ. */
export const tenderKind = z.enum(['counter', 'qr']);
export type TenderKind = z.infer<typeof tenderKind>;

/**
 * An absolute folder pattern for removable media: `/`-separated, each segment a name or `*` (any
 * one folder), no `.`/`..` segments, no other wildcard characters.
 */
export const mediaPattern = z
  .string()
  .max(200)
  .refine(
    (p) =>
      p.startsWith('/') &&
      p
        .slice(1)
        .split('/')
        .every((seg) => seg === '*' || (seg !== '' && seg !== '.' && seg !== '..' && !/[*?[\]\\]/.test(seg))),
    'must be an absolute folder pattern like "/media/*/*" (segments are names or *, no "..")',
  );
