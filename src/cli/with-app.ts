import { KioskApp } from '../app/kiosk-app.ts';
import { silentLogger } from '../platform/logger.ts';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

/** Opens the journal and the parts around it (no servers, no transaction driving), runs `fn`, closes. */
export async function withApp<T>(opts: GlobalOptions, fn: (app: KioskApp) => Promise<T>): Promise<T> {
  const app = new KioskApp({ configFile: opts.config, logger: silentLogger(), http: false });
  try {
    await app.open();
    return await fn(app);
  } finally {
    await app.stop().catch(() => undefined);
  }
}
