import { z } from 'zod';

/** Config of the gpio (devices.gpio). `sim` runs the simulator, `none` means not fitted. */
export const gpioConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
});
