import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { verifyJournal } from '../../src/journal/verify.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { FakeHq } from '../support/fake-hq.ts';
import { openKiosk, tempDir } from '../support/kiosk-harness.ts';
import { testBillService } from '../support/test-service.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

describe('a receipt due when the kiosk stopped is printed at the next start', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('kiosk-receipt-');
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('records the receipt as due with the successful transition and prints it once after a restart', async () => {
    const data = join(dir.path, 'data');
    // A kiosk that stops between the successful transition and the printer: no receipt bridge.
    const k = await openKiosk(data, new FakeHq());
    await k.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-1' });
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '25' }, TELLER);
    await k.engine.waitFor(t.serial, (x) => x.terminal);
    expect(await k.journal.receiptsDue()).toEqual([t.serial]);
    expect((await verifyJournal(k.journal)).problems).toEqual([]);
    await k.close();

    const configFile = join(dir.path, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: data,
        http: { host: '127.0.0.1', port: 0 },
        hq: { mode: 'off' },
        devices: { display: { sim: { pngPath: null } } },
      }),
    );
    const app = new KioskApp({
      // Services come from HQ only, never from the local file.
      overrides: { services: { enabled: ['test-bill'], fees: {} } },
      configFile,
      logger: silentLogger(),
      hqPort: new FakeHq(),
      services: [testBillService],
    });
    await app.start();
    try {
      const printer = app.devices!.printer as SimPrinter;
      await expect.poll(() => printer.jobs().length, { timeout: 5000 }).toBe(1);
      const text = printedText(decodeEscPos(printer.jobs()[0]!.bytes));
      expect(text).toContain(t.serial);
      expect(text).not.toContain('REPRINT');
      expect(await app.journal.receiptsDue()).toEqual([]);
    } finally {
      await app.stop();
    }
    // A second restart prints nothing more.
    const again = new KioskApp({
      // Services come from HQ only, never from the local file.
      overrides: { services: { enabled: ['test-bill'], fees: {} } },
      configFile,
      logger: silentLogger(),
      hqPort: new FakeHq(),
      services: [testBillService],
    });
    await again.start();
    try {
      expect((again.devices!.printer as SimPrinter).jobs()).toHaveLength(0);
    } finally {
      await again.stop();
    }
  });
});
