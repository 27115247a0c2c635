import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/**
 * `kiosk device list|test-page|reconnect` against a running kiosk (real child processes): the
 * devices belong to the running kiosk, so the commands go through its API as an operator.
 */
describe('kiosk device while the kiosk runs', () => {
  let k: TestKiosk;
  let cfg: string;
  const kiosk = (args: string[], input = '') => runKiosk(['--config', cfg, ...args], input);

  beforeAll(async () => {
    k = await startTestKiosk();
    cfg = join(k.dataDir, '..', 'cli-device.json');
    await writeFile(
      cfg,
      JSON.stringify({ dataDir: k.dataDir, http: { host: '127.0.0.1', port: Number(new URL(k.url).port) } }),
    );
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
  });
  afterAll(async () => {
    await k.stop();
  });

  it('lists the devices, prints a test page (exit 6 when out of paper) and reconnects one', async () => {
    const none = await kiosk(['device', 'list']);
    expect(none.code).toBe(2);
    const list = await kiosk(['device', 'list', '--operator', 'A001', '--json'], '123456\n');
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out).items.map((d: { name: string }) => d.name)).toEqual([
      'printer',
      'card-reader',
      'led',
      'gpio',
    ]);
    const printer = k.app.devices!.printer as SimPrinter;
    const before = printer.jobs().length;
    const page = await kiosk(['device', 'test-page', '--operator', 'A001'], '123456\n');
    expect(page.code, page.err).toBe(0);
    expect(page.out).toContain('测试页已打印');
    expect(printer.jobs()).toHaveLength(before + 1);
    printer.paperOut();
    const out = await kiosk(['device', 'test-page', '--operator', 'A001'], '123456\n');
    expect(out.code).toBe(6);
    expect(out.err).toContain('缺纸');
    printer.loadPaper();
    const again = await kiosk(['device', 'reconnect', 'printer', '--operator', 'A001', '--json'], '123456\n');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).device).toMatchObject({ name: 'printer', state: 'ok' });
    const wrong = await kiosk(['device', 'reconnect', 'gpio', '--operator', 'A001'], '123456\n');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('device');
  }, 120_000);
});
