import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSigningKey } from '../../../src/reference-hq/keys.ts';

describe('HQ signing key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('instances creating it together on one folder all get the one key on disk', async () => {
    const path = join(dir, 'hq-signing.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => ensureSigningKey(path)));
    const onDisk = await ensureSigningKey(path);
    expect(new Set(keys.map((k) => k.publicBase64))).toEqual(new Set([onDisk.publicBase64]));
    expect(await readFile(path, 'utf8')).toBe(onDisk.privatePem);
    expect(await readFile(`${path}.pub`, 'utf8')).toBe(onDisk.publicPem);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // No private copies are left behind.
    expect((await readdir(dir)).sort()).toEqual(['hq-signing.key', 'hq-signing.key.pub']);
  });

  it('keeps an existing key and refuses a damaged one rather than replacing it', async () => {
    const path = join(dir, 'hq-signing.key');
    const first = await ensureSigningKey(path);
    expect((await ensureSigningKey(path)).publicBase64).toBe(first.publicBase64);
    await writeFile(path, 'not a key');
    await expect(ensureSigningKey(path)).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('not a key');
  });
});
