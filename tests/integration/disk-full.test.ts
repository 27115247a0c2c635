import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canMount, startDiskKiosk } from '../support/disk-kiosk.ts';
import { FileHq } from '../support/file-hq.ts';
import { tempDir } from '../support/kiosk-harness.ts';

interface Health {
  safeMode: { zh: string; en: string } | null;
  problems: Array<{ key: string; kind: string; message: string }>;
  balance: { balance: string; held: string };
}

describe.runIf(canMount)('a full disk (a real 4 MB tmpfs)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    dir = await tempDir('kiosk-disk-');
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await dir.cleanup();
  });

  it('refuses safely, names the fault in health, settles the cut-off sale and resumes by itself', async () => {
    const mnt = join(dir.path, 'mnt');
    const hqFile = join(dir.path, 'hq.json');
    const k = await startDiskKiosk(mnt, {
      dataDir: join(mnt, 'data'),
      hqFile,
      fillFile: join(mnt, 'filler'),
    });
    child = k.child;
    let token = '';
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(new URL(path, k.url), {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : null,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const health = async () => (await api('GET', '/api/health')).body as unknown as Health;
    const sale = { phone: '13800138000', amount: '10.00' };
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token as string;

    // The first sale's creation fits; HQ's answer arrives after the disk filled up.
    const first = await api('POST', '/api/services/test-bill/transactions', sale);
    expect(first.status).toBe(201);
    const serial = first.body.serial as string;
    await expect
      .poll(async () => (await health()).safeMode?.en ?? '', { timeout: 20_000 })
      .toContain('disk full');
    const sick = await health();
    expect(sick.problems).toContainEqual(expect.objectContaining({ kind: 'io', key: '(write)' }));
    expect(sick.problems.find((p) => p.kind === 'io')?.message).toMatch(/space/i);
    expect(sick.safeMode?.zh).toContain('存储空间已满');
    expect(sick.balance.held).toBe('10.00');
    const status = await fetch(k.url);
    expect(await status.text()).toContain('存储空间已满');

    // Refused while the disk is full: nothing sent, nothing held.
    const refused = await api('POST', '/api/services/test-bill/transactions', sale);
    expect(refused.status).toBe(503);
    expect(FileHq.read(hqFile).requests).toBe(1);

    // Space comes back (seen through the kiosk's own mount namespace).
    await rm(`/proc/${k.pid}/root${join(mnt, 'filler')}`);
    await expect.poll(async () => (await health()).safeMode, { timeout: 20_000 }).toBeNull();
    await expect
      .poll(async () => (await api('GET', `/api/transactions/${serial}`)).body.state, { timeout: 20_000 })
      .toBe('succeeded');
    const well = await health();
    expect(well.problems).toEqual([]);
    expect(well.balance).toMatchObject({ balance: '90.00', held: '0.00' });

    const next = await api('POST', '/api/services/test-bill/transactions', sale);
    expect(next.status).toBe(201);
    await expect
      .poll(async () => (await api('GET', `/api/transactions/${next.body.serial}`)).body.state, {
        timeout: 20_000,
      })
      .toBe('succeeded');
    // HQ charged each sale once.
    expect(Object.values(FileHq.read(hqFile).charges)).toEqual([1, 1]);
  }, 120_000);
});
