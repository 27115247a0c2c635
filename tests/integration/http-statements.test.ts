import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { STATEMENT_HEADER, seedRepayments, statementLine } from '../support/repayments.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/**
 * Credit-card reconciliation from the statements folders over the local API (what the console
 * uses): a real kiosk on LevelDB, its own folder and a "removable medium" folder found by pattern,
 * real files and links on disk, the simulated printer's ESC/POS decoded.
 */
describe('HTTP API: UnionPay statements in the statements folders, reconciled against the journal', () => {
  let k: TestKiosk;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let own = '';
  let stick = '';
  let DATE = '';
  let serials: string[] = [];
  const token: Record<string, string> = {};
  const as = (who: string) => ({ token: token[who]! });
  const put = (folder: string, name: string, lines: string[]) =>
    writeFile(join(folder, name), `\uFEFF${lines.join('\r\n')}\r\n`);
  const listed = async () =>
    (await k.api('GET', '/api/reports/statements', as('S001'))).body.statements as Array<{
      id: string;
      name: string;
      folder: string;
      kind: string;
      size: number;
      modifiedAt: number;
    }>;
  const idOf = async (name: string, folder = own) =>
    (await listed()).find((f) => f.name === name && f.folder === folder)!.id;

  beforeAll(async () => {
    dir = await tempDir('kiosk-statements-');
    own = join(dir.path, 'statements');
    stick = join(dir.path, 'media', 'kiosk', 'STICK');
    await mkdir(stick, { recursive: true });
    k = await startTestKiosk({
      overrides: {
        reports: { statements: { dir: own, media: [`${dir.path}/media/*/*`], maxBytes: 4096 } },
      },
    });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'S001', name: '王五', role: 'supervisor', password: '654321' });
    token.A001 = await k.login('A001', '123456');
    token.S001 = await k.login('S001', '654321');
    DATE = (await k.api('GET', '/api/health')).body.businessDate;
    // matched, amount differs, only ours (missing at UnionPay), and a failed one the statement names.
    serials = await seedRepayments(k.app, DATE, [
      [1000_00, true],
      [256_30, true],
      [88_00, true],
      [50_00, false],
    ]);
    // The kiosk's own folder is created by the first listing.
    await k.api('GET', '/api/reports/statements', as('S001'));
    const good = [
      STATEMENT_HEADER,
      statementLine(DATE, serials[0]!, '1000.00'),
      statementLine(DATE, serials[1]!, '256.00'),
      statementLine(DATE, '9999999999', '12.00'),
      statementLine(DATE, serials[3]!, '50.00'),
    ];
    await put(own, 'statement-1105.csv', good);
    await put(stick, 'UNIONPAY.CSV', good);
  }, 60_000);
  afterAll(async () => {
    await k?.stop();
    await dir?.cleanup();
  });

  it('lists the statements of its own folder and the media, never a link, a hidden file or an export', async () => {
    await writeFile(join(own, 'notes.txt'), 'x');
    await writeFile(join(own, '.hidden.csv'), 'x');
    await writeFile(join(own, 'old.csv.differences.csv'), 'x');
    await writeFile(join(dir.path, 'outside.csv'), `${STATEMENT_HEADER}\n`);
    await symlink(join(dir.path, 'outside.csv'), join(own, 'link.csv'));
    await symlink('/etc/passwd', join(stick, 'passwd.csv'));
    await mkdir(join(dir.path, 'media', 'kiosk', '.trash'), { recursive: true });
    await symlink(dir.path, join(dir.path, 'media', 'kiosk', 'LINKED'));
    const r = await k.api('GET', '/api/reports/statements', as('S001'));
    expect(r.status).toBe(200);
    expect(r.body.folders).toEqual([
      { path: own, kind: 'kiosk' },
      { path: stick, kind: 'media' },
    ]);
    const files = r.body.statements as Array<{ name: string; folder: string; kind: string; size: number }>;
    expect(files.map((f) => `${f.kind}:${f.name}`).sort()).toEqual([
      'kiosk:statement-1105.csv',
      'media:UNIONPAY.CSV',
    ]);
    expect(files[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), size: expect.any(Number) });
    expect(files[0]!.size).toBeGreaterThan(100);
  });

  it('refuses a teller and an anonymous caller on every statement route', async () => {
    const id = await idOf('statement-1105.csv');
    for (const [method, path] of [
      ['GET', '/api/reports/statements'],
      ['GET', `/api/reports/statements/${id}/reconcile`],
      ['POST', `/api/reports/statements/${id}/export`],
      ['POST', `/api/reports/statements/${id}/print`],
    ] as const) {
      expect((await k.api(method, path, as('A001'))).status, path).toBe(403);
      expect((await k.api(method, path)).status, path).toBe(401);
    }
    expect(await readdir(own)).not.toContain('statement-1105.csv.differences.csv');
  });

  it('reconciles a listed statement: counts per kind and each difference, cards masked, a page at a time', async () => {
    const id = await idOf('statement-1105.csv');
    const r = await k.api('GET', `/api/reports/statements/${id}/reconcile`, as('S001'));
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      statement: { id, name: 'statement-1105.csv', kind: 'kiosk' },
      rows: 4,
      from: DATE,
      to: DATE,
      total: '1318.00',
      counts: { matched: 1, missingAtKiosk: 2, missingAtUnionpay: 1, amountDiffers: 1, differences: 4 },
      offset: 0,
      limit: 20,
    });
    expect(r.body.differences).toEqual([
      {
        kind: 'amount-differs',
        date: DATE,
        terminal: '88000001',
        serial: serials[1],
        line: 3,
        card: '622588******1234',
        unionpay: '256.00',
        kiosk: '256.30',
        kioskStatus: null,
      },
      {
        kind: 'missing-at-kiosk',
        date: DATE,
        terminal: '88000001',
        serial: '9999999999',
        line: 4,
        card: '622588******1234',
        unionpay: '12.00',
        kiosk: null,
        kioskStatus: null,
      },
      {
        kind: 'missing-at-kiosk',
        date: DATE,
        terminal: '88000001',
        serial: serials[3],
        line: 5,
        card: '622588******1234',
        unionpay: '50.00',
        kiosk: '50.00',
        kioskStatus: 'failed',
      },
      {
        kind: 'missing-at-unionpay',
        date: DATE,
        terminal: '88000001',
        serial: serials[2],
        line: null,
        card: '625807******7896',
        unionpay: null,
        kiosk: '88.00',
        kioskStatus: null,
      },
    ]);
    const page = await k.api('GET', `/api/reports/statements/${id}/reconcile?offset=3&limit=2`, as('S001'));
    expect(page.body.differences.map((d: { serial: string }) => d.serial)).toEqual([serials[2]]);
    expect(page.body.counts.differences).toBe(4);
    const bad = await k.api('GET', `/api/reports/statements/${id}/reconcile?limit=0`, as('S001'));
    expect(bad).toMatchObject({ status: 400, body: { field: 'limit' } });
  });

  it('exports the differences next to the statement (CSV, UTF-8 with BOM), on the medium too', async () => {
    for (const [name, folder] of [
      ['statement-1105.csv', own],
      ['UNIONPAY.CSV', stick],
    ] as const) {
      const r = await k.api('POST', `/api/reports/statements/${await idOf(name, folder)}/export`, as('S001'));
      expect(r.status, r.text).toBe(201);
      expect(r.body).toMatchObject({ file: `${name}.differences.csv`, counts: { differences: 4 } });
      const csv = await readFile(join(folder, `${name}.differences.csv`));
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = csv.toString('utf8').slice(1).trim().split('\r\n');
      expect(rows[0]).toBe('kind,date,terminal,serial,station,line,unionpay,kiosk,kioskStatus,card');
      expect(rows.slice(1).map((l) => l.split(',')[0])).toEqual([
        'amount-differs',
        'missing-at-kiosk',
        'missing-at-kiosk',
        'missing-at-unionpay',
      ]);
    }
    // The export is not offered as a statement, and no temporary file is left.
    expect((await listed()).map((f) => f.name).sort()).toEqual(['UNIONPAY.CSV', 'statement-1105.csv']);
    expect((await readdir(own)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('prints the counts and the differences through the print queue (ESC/POS)', async () => {
    const printer = k.app.devices!.printer as SimPrinter;
    const jobs = printer.jobs().length;
    const r = await k.api(
      'POST',
      `/api/reports/statements/${await idOf('statement-1105.csv')}/print`,
      as('S001'),
    );
    expect(r.status, r.text).toBe(200);
    expect(r.body.printed).toMatchObject({ outcome: 'printed' });
    expect(printer.jobs()).toHaveLength(jobs + 1);
    const text = printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
    expect(text).toContain('信用卡对账');
    expect(text).toMatch(new RegExp(`金额不符${serials[1]}银联/本亭256\\.00/256\\.30`));
    expect(text).toMatch(new RegExp(`银联无${serials[2]}银联/本亭-/88\\.00`));
    expect(text).toContain('本亭无9999999999银联/本亭12.00/-');
    expect(text).toContain(`本亭无${serials[3]} failed`);
  });

  it('refuses bad statements naming the line, in Chinese and English, and writes nothing', async () => {
    // large.csv: a 49-byte header and 71-byte lines against maxBytes 4096: 57 lines fit, line 59 passes.
    const cases: Array<[string, string, number, string]> = [
      ['columns.csv', `${STATEMENT_HEADER}\n${DATE},102345,88000001\n`, 2, 'columns'],
      ['amount.csv', `${STATEMENT_HEADER}\n${statementLine(DATE, serials[0]!, '1.234')}\n`, 2, 'amount'],
      [
        'date.csv',
        `${STATEMENT_HEADER}\n${statementLine(DATE, serials[0]!, '1.00')}\n${statementLine('20261131', serials[0]!, '1.00')}\n`,
        3,
        'date',
      ],
      ['header.csv', `date,amount\n${statementLine(DATE, serials[0]!, '1.00')}\n`, 1, 'header'],
      ['empty.csv', '', 1, 'file'],
      [
        'large.csv',
        `${STATEMENT_HEADER}\n${`${statementLine(DATE, serials[0]!, '1.00')}\n`.repeat(80)}`,
        59,
        'file',
      ],
    ];
    for (const [name, text, line, field] of cases) {
      await writeFile(join(own, name), text);
      const id = await idOf(name);
      for (const [method, path] of [
        ['GET', `/api/reports/statements/${id}/reconcile`],
        ['POST', `/api/reports/statements/${id}/export`],
        ['POST', `/api/reports/statements/${id}/print`],
      ] as const) {
        const r = await k.api(method, path, as('S001'));
        expect(r.status, `${name} ${path}`).toBe(400);
        expect(r.body).toMatchObject({ code: 'KIOSK_E_INVALID_INPUT', field: 'statement' });
        expect(r.body.zh, name).toContain(`第 ${line} 行`);
        expect(r.body.en, name).toContain(`line ${line}`);
        expect(r.body.details.errors[0], name).toMatchObject({ line, field });
      }
      expect(await readdir(own), name).not.toContain(`${name}.differences.csv`);
    }
    expect((await readdir(own)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('names a file only by its listing id: paths, links and unknown ids are refused', async () => {
    const digest = (folder: string, name: string) =>
      createHash('sha256').update(`${folder}\u0000${name}`).digest('hex').slice(0, 16);
    for (const id of [
      '..%2F..%2Fetc%2Fpasswd',
      '%2Fetc%2Fpasswd',
      'statement-1105.csv',
      'ABCDEF0123456789',
    ]) {
      const r = await k.api('GET', `/api/reports/statements/${id}/reconcile`, as('S001'));
      expect(r, id).toMatchObject({ status: 400, body: { field: 'statement' } });
    }
    // A link in the folder has an id-shaped name but is never listed, so never found.
    for (const [folder, name] of [
      [own, 'link.csv'],
      [stick, 'passwd.csv'],
    ] as const) {
      const r = await k.api('GET', `/api/reports/statements/${digest(folder, name)}/reconcile`, as('S001'));
      expect(r, name).toMatchObject({ status: 404, body: { field: 'statement' } });
    }
    // A listed file replaced by a link is no longer found.
    await put(own, 'swap.csv', [STATEMENT_HEADER, statementLine(DATE, serials[0]!, '1000.00')]);
    const id = await idOf('swap.csv');
    await rm(join(own, 'swap.csv'));
    await symlink('/etc/passwd', join(own, 'swap.csv'));
    const r = await k.api('GET', `/api/reports/statements/${id}/reconcile`, as('S001'));
    expect(r).toMatchObject({ status: 404, body: { field: 'statement' } });
  });
});
