import { z } from 'zod';

/** Config of the card-reader (devices.cardReader). `sim` runs the simulator, `none` means not fitted. */
export const cardReaderConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
});
