import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { mergeLayers } from '../../../src/config/merge.ts';
import { KioskValidationError } from '../../../src/core/errors.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

describe('configuration', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('loads the embedded defaults with the day cut at 21:00 in Asia/Shanghai', async () => {
    const { config } = await loadConfig({ file: undefined });
    expect(config).toMatchObject({
      timezone: 'Asia/Shanghai',
      business: { dayCut: '21:00' },
      operators: { maxFailedAttempts: 5, lockMinutes: 15 },
    });
    expect(config.http.host).toBe('127.0.0.1');
  });

  it('enables no service, sets no fee and opens no mobile region before HQ says so; a local file cannot set them', async () => {
    const { config } = await loadConfig({ file: undefined });
    expect(config.services).toEqual({ enabled: [], fees: {}, mobileRegions: [] });
    const file = join(dir.path, 'fees.json');
    await writeFile(
      file,
      JSON.stringify({
        services: { enabled: ['water-bill'], fees: { 'water-bill': '9.00' }, mobileRegions: ['安庆'] },
      }),
    );
    const err = await loadConfig({ file }).catch((e) => e);
    expect(err.code).toBe('KIOSK_E_CONFIG');
    expect(err.issues.map((i: { field: string }) => i.field)).toEqual([
      'services.enabled',
      'services.fees',
      'services.mobileRegions',
    ]);
    expect(err.message).toContain('只能由总部下发');
    const fromHq = await loadConfig({
      hqOverrides: {
        services: { enabled: ['water-bill'], fees: { 'water-bill': '1.00' }, mobileRegions: ['安庆'] },
      },
    });
    expect(fromHq.config.services).toEqual({
      enabled: ['water-bill'],
      fees: { 'water-bill': '1.00' },
      mobileRegions: ['安庆'],
    });
  });

  it('layers defaults → local file → HQ overrides, arrays replaced and objects merged', async () => {
    const file = join(dir.path, 'kiosk.json');
    await writeFile(
      file,
      JSON.stringify({
        stationId: '33010099',
        business: { dayCut: '20:30' },
      }),
    );
    const { config, sources } = await loadConfig({
      file,
      hqOverrides: { services: { enabled: ['c-d'] }, balance: { lowWarning: '50' } },
    });
    expect(config.stationId).toBe('33010099');
    expect(config.business).toEqual({ dayCut: '20:30', hours: { open: '07:00', close: '21:00' } });
    expect(config.services.enabled).toEqual(['c-d']);
    expect(config.balance.lowWarning).toBe('50.00');
    expect(sources).toEqual([expect.stringContaining('default.json'), file, 'hq']);
    expect(mergeLayers({ a: [1, 2], b: { c: 1 } }, { a: [3] }, { b: { d: 2 } })).toEqual({
      a: [3],
      b: { c: 1, d: 2 },
    });
  });

  it('refuses bad config listing every error with its key, never repairing it', async () => {
    const file = join(dir.path, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        stationId: '1234',
        business: { dayCut: '25:00' },
        balance: { lowWarning: '12.345' },
        operators: { maxFailedAttempts: 0 },
        typo: true,
        engine: { requestTimeoutMs: 'soon' },
      }),
    );
    const err = (await loadConfig({ file }).catch((e) => e)) as KioskValidationError;
    expect(err).toBeInstanceOf(KioskValidationError);
    expect(err.code).toBe('KIOSK_E_CONFIG');
    const fields = err.issues.map((i) => i.field).sort();
    expect(fields).toEqual([
      'balance.lowWarning',
      'business.dayCut',
      'engine.requestTimeoutMs',
      'operators.maxFailedAttempts',
      'stationId',
      'typo',
    ]);
    expect(err.message).toContain('8-digit station number');
    expect(err.issues.find((i) => i.field === 'typo')?.en).toBe('unknown key');
  });

  it('refuses bad statements folders naming each field: a ".." folder, media patterns that are not absolute folder patterns, a size out of range', async () => {
    const { config } = await loadConfig({ file: undefined });
    expect(config.reports.statements).toEqual({
      dir: null,
      media: ['/media/*', '/media/*/*'],
      maxBytes: 16 * 1024 * 1024,
    });
    const file = join(dir.path, 'statements.json');
    await writeFile(
      file,
      JSON.stringify({
        reports: {
          statements: {
            dir: '../../etc',
            media: ['/media/*', 'media/*', '/media/../etc', '/media/s*'],
            maxBytes: 10,
          },
        },
      }),
    );
    const err = (await loadConfig({ file }).catch((e) => e)) as KioskValidationError;
    expect(err.code).toBe('KIOSK_E_CONFIG');
    expect(err.issues.map((i) => i.field).sort()).toEqual([
      'reports.statements.dir',
      'reports.statements.maxBytes',
      'reports.statements.media[1]',
      'reports.statements.media[2]',
      'reports.statements.media[3]',
    ]);
  });

  it('names a missing or unreadable file and bad JSON', async () => {
    await expect(loadConfig({ file: join(dir.path, 'none.json') })).rejects.toMatchObject({
      code: 'KIOSK_E_CONFIG',
      field: expect.stringContaining('none.json'),
    });
    const bad = join(dir.path, 'x.json');
    await writeFile(bad, '{ not json');
    await expect(loadConfig({ file: bad })).rejects.toThrow(/not valid JSON/);
  });

  it('validates the shipped production example', async () => {
    const { config } = await loadConfig({
      file: join(import.meta.dirname, '../../../config/production.example.json'),
    });
    expect(config.dataDir).toBe('/var/lib/newsstand-kiosk');
  });
});
