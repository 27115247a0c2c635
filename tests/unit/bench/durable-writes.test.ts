import { describe, expect, it } from 'vitest';
import { countDurableWrites } from '../../../scripts/bench-write-cost.ts';

describe('counting durable writes in an strace log', () => {
  it('counts fsync-family calls and writes through O_DSYNC descriptors only, also across threads', () => {
    const log = [
      '100 openat(AT_FDCWD</w>, "/d/HEAD", O_RDWR|O_CREAT|O_DSYNC|O_CLOEXEC, 0600) = 28</d/HEAD>',
      '101 openat(AT_FDCWD</w>, "/d/HEAD", O_RDWR|O_CREAT|O_CLOEXEC, 0600 <unfinished ...>',
      '102 openat(AT_FDCWD</w>, "/d/LOG", O_WRONLY|O_SYNC|O_CLOEXEC, 0600 <unfinished ...>',
      '101 <... openat resumed>) = 29</d/HEAD>',
      '102 <... openat resumed>) = 30</d/LOG>',
      '100 pwrite64(28</d/HEAD>, ""..., 128, 0) = 128',
      '101 pwrite64(29</d/HEAD>, ""..., 128, 128 <unfinished ...>',
      '100 <... pwrite64 resumed>) = 128',
      '103 write(30</d/LOG>, ""..., 600) = 600',
      '103 write(31</d/000005.log>, ""..., 600) = 600',
      '104 fdatasync(31</d/000005.log>) = 0',
      '104 fsync(31</d/000005.log> <unfinished ...>',
      // A descriptor number reused for a file opened without O_DSYNC no longer counts.
      '100 openat(AT_FDCWD</w>, "/d/OTHER", O_RDWR|O_CLOEXEC) = 28</d/OTHER>',
      '100 pwrite64(28</d/OTHER>, ""..., 10, 0) = 10',
    ].join('\n');
    expect(countDurableWrites(log)).toBe(4);
  });
});
