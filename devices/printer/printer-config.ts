import { z } from 'zod';

/** Config of the printer (devices.printer). `sim` runs the simulator, `none` means not fitted. */
export const printerConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
});
