import { z } from 'zod';

/** The HQ link. `embedded` runs an in-process broker and the reference HQ (the default for `npm start`). */
export const hqConfigSchema = z.strictObject({
  mode: z.enum(['embedded', 'broker', 'off']),
});
