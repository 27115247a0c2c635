/**
 * The Raspberry Pi install from a release tarball (scripts/release.sh → scripts/install-pi.sh),
 * run into a temporary root with --no-system (no apt, user, npm or systemctl on this machine), and
 * both systemd units checked by `systemd-analyze verify` as shipped and as installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const UNITS = ['newsstand-kiosk.service', 'newsstand-kiosk-ui.service'];

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('install on a Raspberry Pi from a release tarball', () => {
  let work: string;
  let tarball: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kiosk-install-'));
    // npm ci builds dist/; a working copy without a build gets one here.
    if (!existsSync(join(ROOT, 'dist/.built'))) expect(run('node', ['scripts/build.mjs']).status).toBe(0);
    const r = run('bash', ['scripts/release.sh', '--skip-build', work]);
    expect(r.status, r.out).toBe(0);
    tarball = r.out.trim().split('\n').at(-1) ?? '';
  }, 300_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('systemd-analyze verify accepts both units as shipped', () => {
    const r = run('systemd-analyze', ['verify', ...UNITS.map((u) => join(ROOT, 'systemd', u))]);
    expect(r.status, r.out).toBe(0);
  });

  it('the tarball holds the compiled build, the command lines, config, units, screen and installer', () => {
    const r = run('tar', ['-tzf', tarball]);
    const names = r.out.split('\n');
    const v = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    for (const f of [
      'dist/.built',
      'dist/src/cli/kiosk.js',
      'bin/kiosk.js',
      'bin/kiosk-hq.js',
      'package-lock.json',
      'config/default.json',
      'config/production.example.json',
      'systemd/99-newsstand-kiosk.rules',
      'src/ui/web/index.html',
      'scripts/install-pi.sh',
    ])
      expect(names, f).toContain(`newsstand-kiosk-${v}/${f}`);
    expect(names.some((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))).toBe(false);
  });

  it('installs the folders, config once, the udev rules and verified units; an upgrade keeps the config', async () => {
    const root = join(work, 'root');
    const first = run('bash', ['scripts/install-pi.sh', '--root', root, '--no-system', tarball]);
    expect(first.status, first.out).toBe(0);
    const app = join(root, 'opt/newsstand-kiosk');
    expect(existsSync(join(app, 'dist/.built'))).toBe(true);
    expect(existsSync(join(app, 'bin/kiosk.js'))).toBe(true);
    const config = join(root, 'etc/newsstand-kiosk/kiosk.json');
    expect(readFileSync(config, 'utf8')).toBe(
      readFileSync(join(ROOT, 'config/production.example.json'), 'utf8'),
    );
    expect(statSync(join(root, 'var/lib/newsstand-kiosk')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'etc/newsstand-kiosk/tls')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(root, 'etc/udev/rules.d/99-newsstand-kiosk.rules'))).toBe(true);
    const installed = UNITS.map((u) => join(root, 'etc/systemd/system', u));
    const verify = run('systemd-analyze', ['verify', ...installed]);
    expect(verify.status, verify.out).toBe(0);

    writeFileSync(config, '{"stationId":"33010999"}\n');
    writeFileSync(join(app, 'left-over'), 'from the old release');
    const again = run('bash', ['scripts/install-pi.sh', '--root', root, '--no-system', tarball]);
    expect(again.status, again.out).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe('{"stationId":"33010999"}\n');
    expect(existsSync(join(app, 'left-over'))).toBe(false);
    expect((await readdir(join(root, 'opt'))).sort()).toEqual(['newsstand-kiosk']);
  });

  it('refuses a tarball without a compiled build, leaving the installed release alone', async () => {
    const bad = join(work, 'bad');
    const src = join(bad, 'newsstand-kiosk-0.0.0');
    expect(run('mkdir', ['-p', join(src, 'bin')]).status).toBe(0);
    const badTar = join(work, 'bad.tar.gz');
    expect(run('tar', ['-C', bad, '-czf', badTar, 'newsstand-kiosk-0.0.0']).status).toBe(0);
    const root = join(work, 'root2');
    expect(run('bash', ['scripts/install-pi.sh', '--root', root, '--no-system', tarball]).status).toBe(0);
    const r = run('bash', ['scripts/install-pi.sh', '--root', root, '--no-system', badTar]);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('has no compiled dist/');
    expect(existsSync(join(root, 'opt/newsstand-kiosk/dist/.built'))).toBe(true);
  });
});
