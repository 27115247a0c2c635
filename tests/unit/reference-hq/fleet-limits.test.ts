import { describe, expect, it } from 'vitest';
import {
  kioskProcessFiles,
  openFilesNeeded,
  parseOpenFilesLimit,
} from '../../../scripts/fleet/fleet-limits.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('open files of a fleet kiosk process', () => {
  it('reads the soft and hard limit from /proc/<pid>/limits', () => {
    expect(parseOpenFilesLimit(LIMITS)).toEqual({ soft: 1024, hard: 524288 });
    expect(parseOpenFilesLimit('Max open files  unlimited  unlimited  files')).toEqual({
      soft: Number.POSITIVE_INFINITY,
      hard: Number.POSITIVE_INFINITY,
    });
    expect(parseOpenFilesLimit('')).toBeNull();
  });

  it('keeps a soft limit that suffices, raises one that does not, and names --workers past the hard one', () => {
    expect(kioskProcessFiles(50, { soft: 1024, hard: 4096 })).toEqual({ raiseTo: null });
    // 250 kiosks in one process: more than the usual 1024.
    expect(kioskProcessFiles(250, { soft: 1024, hard: 4096 })).toEqual({ raiseTo: openFilesNeeded(250) });
    expect(openFilesNeeded(250)).toBeGreaterThan(1024);
    const r = kioskProcessFiles(500, { soft: 1024, hard: 2048 });
    expect(r).toEqual({ error: expect.stringContaining('--workers') });
    expect((r as { error: string }).error).toContain('open-file limit of 2048');
  });
});
