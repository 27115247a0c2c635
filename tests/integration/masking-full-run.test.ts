import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');
const PHONE = '13800138000';
/** The telecom service calls its field `number`: no key-name list knows it, its declaration does. */
const LANDLINE = '057187654321';
const FULL = [PHONE, LANDLINE, '0571-87654321'];

/**
 * A full run — inquiry, payments, receipts, listing — with the kiosk's real logger: the numbers it
 * used appear in full nowhere outside the journal: not in the log, the API answers, the receipts
 * or `kiosk journal list`.
 */
describe('masking by declared sensitivity across a full run', () => {
  let k: TestKiosk;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const log: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    dir = await tempDir('kiosk-mask-run-');
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => log.push(d.toString()));
    k = await startTestKiosk({ logger: createLogger({ destination: sink, level: 'debug' }) });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
  });
  afterAll(async () => {
    await k?.stop().catch(() => undefined);
    await dir.cleanup();
  });

  it('logs, API answers, receipts and the journal listing carry no full number', async () => {
    const token = await k.login('A001', '123456');
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await k.api(method, path, { ...(body !== undefined ? { body } : {}), token });
      answers.push(r.text);
      return r;
    };
    k.hq.script('query', {
      outcome: 'ok',
      data: {
        account: LANDLINE,
        arrears: '10.00',
        contracts: [{ contractNo: 'HT123456', arrears: '10.00' }],
      },
    });
    await call('POST', '/api/services/telecom-bill/inquiry', { number: '0571-87654321' });
    k.hq.script('query', {
      outcome: 'ok',
      data: {
        account: LANDLINE,
        arrears: '10.00',
        contracts: [{ contractNo: 'HT123456', arrears: '10.00' }],
      },
    });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B2' } });
    const telecom = await call('POST', '/api/services/telecom-bill/transactions', {
      number: '0571-87654321',
      contractNo: 'HT123456',
      amount: '10',
    });
    expect(telecom.status, telecom.text).toBe(201);
    k.hq.script('query', { outcome: 'ok', data: { phone: PHONE, city: '安庆', arrears: '0.00' } });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B1' } });
    const mobile = await call('POST', '/api/services/mobile-topup/transactions', {
      phone: PHONE,
      amount: '50',
    });
    expect(mobile.status, mobile.text).toBe(201);
    for (const serial of [telecom.body.serial, mobile.body.serial]) {
      await k.app.engine.waitFor(serial, (t) => t.terminal);
      await call('GET', `/api/transactions/${serial}`);
      await call('GET', `/api/transactions/${serial}/receipt`);
    }
    await call('GET', '/api/transactions');
    // The journal commands open the journal themselves: stop the kiosk, keep its data.
    await k.app.stop(2000);

    const config = join(dir.path, 'kiosk.json');
    await writeFile(config, JSON.stringify({ dataDir: k.dataDir, hq: { mode: 'off' } }));
    const cli: string[] = [];
    for (const args of [
      ['journal', 'list'],
      ['journal', 'list', '--json'],
    ]) {
      const r = spawnSync(process.execPath, [BIN, '--config', config, ...args], {
        encoding: 'utf8',
        env: { ...process.env, KIOSK_CONFIG: '' },
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      cli.push(r.stdout);
    }
    expect(cli.join('\n')).toContain('number=057*****4321');

    const logText = log.join('');
    expect(logText).toContain('transaction created');
    for (const [where, text] of [
      ['log', logText],
      ['API', answers.join('\n')],
      ['CLI', cli.join('\n')],
    ] as const) {
      for (const n of FULL) expect(text.includes(n), `${n} in ${where}`).toBe(false);
    }
  }, 180_000);
});
