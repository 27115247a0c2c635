import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNITS = join(import.meta.dirname, '../../systemd');

/** systemd's own exposure score (0 safe … 10 unsafe) of a unit file, analysed offline. */
function exposure(unit: string): { score: number; report: string } {
  const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', join(UNITS, unit)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const report = `${r.stdout}${r.stderr}`;
  const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(report);
  if (!m) throw new Error(`systemd-analyze gave no score for ${unit}:\n${report}`);
  return { score: Number(m[1]), report };
}

/** The values of a key in a unit file's [Service] section, in order. */
function settings(unit: string, key: string): string[] {
  return readFileSync(join(UNITS, unit), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));
}

describe('systemd units: exposure measured by systemd-analyze security', () => {
  it('the kiosk unit scores 3.0 or less', () => {
    const { score, report } = exposure('newsstand-kiosk.service');
    expect(score, report).toBeLessThanOrEqual(3.0);
    expect(settings('newsstand-kiosk.service', 'CapabilityBoundingSet')).toEqual(['']);
    expect(settings('newsstand-kiosk.service', 'DevicePolicy')).toEqual(['closed']);
    expect(settings('newsstand-kiosk.service', 'UMask')).toEqual(['0077']);
  });

  it('the screen unit scores 3.0 or less and opens the touchscreen at /ui/ on loopback only', () => {
    const { score, report } = exposure('newsstand-kiosk-ui.service');
    expect(score, report).toBeLessThanOrEqual(3.0);
    const [exec] = settings('newsstand-kiosk-ui.service', 'ExecStart');
    expect(exec).toMatch(/ http:\/\/127\.0\.0\.1:8080\/ui\/$/);
    expect(settings('newsstand-kiosk-ui.service', 'IPAddressDeny')).toEqual(['any']);
    expect(settings('newsstand-kiosk-ui.service', 'IPAddressAllow')).toEqual(['localhost']);
  });
});
