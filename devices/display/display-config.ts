import { z } from 'zod';

/** Config of the display (devices.display). `sim` runs the simulator, `none` means not fitted. */
export const displayConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
});
