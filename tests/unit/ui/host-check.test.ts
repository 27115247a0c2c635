import { describe, expect, it } from 'vitest';
import { checkHost, isExactLoopbackHost } from '../../../src/ui/server/host-check.ts';

describe('loopback Host check', () => {
  it('accepts exactly the loopback names with the listening port', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080']) {
      expect(isExactLoopbackHost(host, '127.0.0.1', 8080), host).toBe(true);
    }
    expect(isExactLoopbackHost('127.0.0.1', '127.0.0.1', 80)).toBe(true);
    expect(isExactLoopbackHost('127.0.0.2:8080', '127.0.0.2', 8080)).toBe(true);
  });

  it('refuses names that only start like a loopback name, other ports and odd forms', () => {
    for (const host of [
      '127.0.0.1.evil.example',
      '127.0.0.1.evil.example:8080',
      '127.0.0.1.nip.io:8080',
      '127.1.2.3:8080',
      'localhost.evil.example:8080',
      'localhost.:8080',
      'evil.example:8080',
      '127.0.0.1:8081',
      '127.0.0.1:08080',
      '127.0.0.1',
      'user@127.0.0.1:8080',
      '[::1].evil:8080',
      '[::ffff:127.0.0.1]:8080',
      '',
    ]) {
      expect(isExactLoopbackHost(host, '127.0.0.1', 8080), host).toBe(false);
    }
    expect(isExactLoopbackHost(undefined, '127.0.0.1', 8080)).toBe(false);
  });

  it('throws KIOSK_E_FORBIDDEN on the host field only for a loopback-bound server', () => {
    expect(() => checkHost('127.0.0.1.evil.example:8080', '127.0.0.1', 8080)).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_FORBIDDEN', field: 'host' }),
    );
    expect(() => checkHost('kiosk.lan:8080', '0.0.0.0', 8080)).not.toThrow();
  });
});
