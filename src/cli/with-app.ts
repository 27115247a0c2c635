import type { KioskApp } from '../app/kiosk-app.ts';
import { silentLogger } from '../platform/logger.ts';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

/** Opens the journal and the parts around it (no servers, no transaction driving), runs `fn`, closes. */
export async function withApp<T>(opts: GlobalOptions, fn: (app: KioskApp) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: counter commands that only talk to the running kiosk's API never
  // pay for loading the journal, the engine and the servers.
  const { KioskApp } = await import('../app/kiosk-app.ts');
  const app = new KioskApp({ configFile: opts.config, logger: silentLogger(), http: false });
  try {
    await app.open();
    return await fn(app);
  } finally {
    await app.stop().catch(() => undefined);
  }
}
