import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskApp, type KioskAppOptions } from '../../src/app/kiosk-app.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { clockStartingAt } from './chosen-time.ts';
import { mergeDeep } from './kiosk-harness.ts';

export interface EmbeddedKiosk {
  app: KioskApp;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * A real kiosk on its embedded defaults (in-process broker, reference HQ, simulated devices) in a
 * fresh temporary folder: journal, HQ store and the sign's preview all inside it, the local server
 * on a free loopback port, the clock starting at the chosen time. `config` is layered over that.
 */
export async function startEmbeddedKiosk(
  opts: { prefix?: string; config?: Record<string, unknown> } & Omit<KioskAppOptions, 'configFile'> = {},
): Promise<EmbeddedKiosk> {
  const { prefix = 'kiosk-embedded-', config = {}, ...appOpts } = opts;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const configFile = join(dir, 'kiosk.json');
  await writeFile(
    configFile,
    JSON.stringify(
      mergeDeep(
        {
          dataDir: join(dir, 'data'),
          http: { host: '127.0.0.1', port: 0 },
          hq: { mode: 'embedded', embedded: { dataDir: join(dir, 'hq'), billerLatencyMs: 5 } },
          devices: { display: { sim: { pngPath: join(dir, 'led-preview.png') } } },
        },
        config,
      ),
    ),
  );
  const app = new KioskApp({ logger: silentLogger(), clock: clockStartingAt(), ...appOpts, configFile });
  await app.start();
  return {
    app,
    dir,
    stop: async () => {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
