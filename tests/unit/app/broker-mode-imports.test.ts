import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** Every module URL that importing `entry` loads, from a fresh Node process. */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'tests/support/imported-modules.ts', entry],
    { cwd: ROOT, timeout: 120_000 },
  );
  return JSON.parse(stdout) as string[];
}

describe('what the kiosk carries when its HQ runs elsewhere', () => {
  it('the composition root loads neither the embedded broker and reference HQ nor the PNG encoder', async () => {
    const loaded = await modulesLoadedBy('src/app/kiosk-app.ts');
    // The probe works: the app's own parts are seen.
    expect(loaded.some((u) => u.endsWith('/src/hq-link/link.ts'))).toBe(true);
    expect(loaded.some((u) => u.includes('/node_modules/mqtt/'))).toBe(true);
    const heavy = loaded.filter((u) =>
      /\/src\/reference-hq\/|\/node_modules\/(aedes[^/]*|pngjs|pg)\//.test(u),
    );
    expect(heavy).toEqual([]);
  });
});
