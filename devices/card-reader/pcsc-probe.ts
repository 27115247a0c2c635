import { connect } from 'node:net';

/**
 * True when pcscd accepts connections on its client socket. libpcsclite's context creation spins in
 * a busy loop while the daemon is absent, blocking the event loop, so the driver asks first.
 */
export function probePcscd(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ path: socketPath });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
