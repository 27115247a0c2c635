import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error the launcher is plain JavaScript without type declarations
import { buildIsCurrent } from '../../../bin/launch.js';
import { tempDir } from '../../support/kiosk-harness.ts';

describe('the command-line launcher', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('kiosk-launch-');
    await mkdir(join(dir.path, 'src/cli'), { recursive: true });
    await mkdir(join(dir.path, 'devices'), { recursive: true });
    await mkdir(join(dir.path, 'dist'), { recursive: true });
    await writeFile(join(dir.path, 'src/cli/kiosk.ts'), '');
    const old = new Date('2026-12-01T01:00:00Z');
    await utimes(join(dir.path, 'src/cli/kiosk.ts'), old, old);
  });
  afterEach(() => dir.cleanup());

  const stamp = async (at: string) => {
    await writeFile(join(dir.path, 'dist/.built'), '');
    await utimes(join(dir.path, 'dist/.built'), new Date(at), new Date(at));
  };

  it('runs the sources when there is no finished build', () => {
    expect(buildIsCurrent(dir.path, {})).toBe(false);
  });

  it('runs the build when no source is newer than it', async () => {
    await stamp('2026-12-01T02:00:00Z');
    expect(buildIsCurrent(dir.path, {})).toBe(true);
    expect(buildIsCurrent(dir.path, { KIOSK_FROM_SOURCE: '1' })).toBe(false);
  });

  it('runs the sources again once one of them changed after the build', async () => {
    await stamp('2026-12-01T02:00:00Z');
    const later = new Date('2026-12-01T03:00:00Z');
    await writeFile(join(dir.path, 'devices/printer.ts'), '');
    await utimes(join(dir.path, 'devices/printer.ts'), later, later);
    expect(buildIsCurrent(dir.path, {})).toBe(false);
  });
});
