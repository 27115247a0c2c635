/**
 * Time from a payment request to its final result, with the reference biller settling in 2 s (a
 * mobile top-up answers `pending` and settles later): the kiosk's quick first status queries
 * should give the result in seconds, not after the 30 s interval. Real journal, embedded broker
 * and reference HQ; the clock starts at 10:00 Asia/Shanghai so that no time rule interferes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskApp } from '../src/app/kiosk-app.ts';
import { localInstant } from '../src/core/business-day.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { startEmbeddedHq } from '../src/reference-hq/embedded.ts';

const BILLER_SETTLE_MS = 2000;

export async function benchTimeToResult(count: number): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-bench-result-'));
  const origin = Date.now();
  const base = localInstant('20261124', '10:00');
  const clock = { now: () => base + (Date.now() - origin) };
  const hq = await startEmbeddedHq({
    dataDir: join(dir, 'hq'),
    port: 0,
    topicPrefix: 'kiosk',
    logger: silentLogger(),
    billerLatencyMs: 5,
    settleMs: BILLER_SETTLE_MS,
    openingBalance: '5000.00',
    trainedServices: ['mobile-topup'],
    clock,
  });
  const login = await hq.kioskLogin('33010001');
  const configFile = join(dir, 'kiosk.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      http: { host: '127.0.0.1', port: 0 },
      hq: { mode: 'broker', brokerUrl: hq.url, protocolVersion: 4, publicKey: hq.publicKey },
      devices: { display: { sim: { pngPath: null } } },
    }),
  );
  const app = new KioskApp({ configFile, logger: silentLogger(), clock, hqConnection: { login } });
  await app.start();
  // HQ's welcome brings the opening balance and the services this station may sell.
  while (app.balance.summary().balance !== '5000.00' || !app.config.services.enabled.includes('mobile-topup'))
    await new Promise((r) => setTimeout(r, 50));
  const times: number[] = [];
  const teller = { channel: 'operator', code: 'A001', role: 'teller' } as const;
  for (let i = 0; i < count; i++) {
    const phone = `1380013${String(8000 + i).padStart(4, '0')}`;
    const t0 = performance.now();
    const t = await app.engine.create('mobile-topup', { phone, amount: '10' }, teller);
    await app.engine.waitFor(t.serial, (x) => x.terminal);
    times.push(performance.now() - t0);
  }
  await app.stop();
  await hq.stop();
  await rm(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return {
    figure: 'payment.time_to_final_result',
    unit: 'ms',
    value: Math.round(median),
    p95: Math.round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!),
    baseline: BILLER_SETTLE_MS,
    ratio: Number((median / BILLER_SETTLE_MS).toFixed(3)),
    target: 'median < 5000 ms with the biller settling in 2000 ms',
    samples: count,
  };
}
