/**
 * A kiosk process on a small filesystem for the full-disk test:
 * `node --import tsx disk-child.ts <json options>`. It starts the whole kiosk (local server on a
 * free port) with its journal in `dataDir`, credits its balance and adds teller A001 (password
 * 123456) once, and prints `{ url }`. Its HQ
 * double (`FileHq`, kept outside `dataDir`) fills the filesystem with `fillFile` when it receives the
 * first payment and answers it with a large remark, so that sale's outcome cannot be written.
 * SIGTERM stops it cleanly.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { paymentFlow } from '../../src/core/transaction/flows.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';
import type { HqPort, HqRequest } from '../../src/engine/ports.ts';
import { createLogger, silentLogger } from '../../src/platform/logger.ts';
import { FileHq } from './file-hq.ts';
import { testBillService } from './test-service.ts';

interface Options {
  dataDir: string;
  hqFile: string;
  fillFile: string;
}
const o = JSON.parse(process.argv[2] ?? '{}') as Options;

/** Writes zeros to `file` until the filesystem refuses (ENOSPC). */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [64 * 1024, 512]) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(size));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** The test service with status queries every 20 ms, so a resumed sale settles at once. */
const fast: ServiceDefinition = {
  ...testBillService,
  ...paymentFlow({ queryDelayMs: () => 20, reversal: { queryDelayMs: () => 20, guard: () => null } }),
};

const files = new FileHq(o.hqFile, { payOutcome: 'ok' });
let filled = false;
const hq: HqPort = {
  async request(req: HqRequest) {
    const answer = await files.request(req);
    if (req.op === 'pay' && !filled) {
      filled = true;
      fill(o.fillFile);
      // An answer larger than a page: its outcome cannot fit in what is left of the log's last page.
      return { ...answer, data: { ...answer.data, remark: 'x'.repeat(16 * 1024) } };
    }
    return answer;
  },
};

const app = new KioskApp({
  overrides: {
    dataDir: o.dataDir,
    http: { host: '127.0.0.1', port: 0 },
    hq: { mode: 'off' },
    services: { enabled: ['test-bill'], fees: {} },
    selfService: { services: ['test-bill'], maxAmount: '200.00' },
  },
  logger: process.env.DISK_CHILD_LOG
    ? createLogger({ level: 'info', destination: process.stderr })
    : silentLogger(),
  hqPort: hq,
  services: [fast],
});
await app.start();
if (app.balance.summary().balance === '0.00') {
  await app.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-1' });
  await app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
}
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
process.once('SIGTERM', () => {
  void app.stop(2000).finally(() => process.exit(0));
});
