import { KioskError } from '../../core/errors.ts';

/** Loopback names a browser on the kiosk may use, exactly as they appear in a Host header. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether the server's bound address is a loopback one (then the Host check applies). */
export function isLoopbackBound(bound: string): boolean {
  return bound === 'localhost' || bound === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bound);
}

/**
 * Whether a Host header names this loopback server exactly: one of the loopback names (or the
 * bound address itself) followed by the listening port; the port may be left out only when it is
 * 80. Anything else — `127.0.0.1.evil.example`, `localhost.nip.io`, another port, user info, a
 * trailing dot — is refused, so that a page whose DNS name was rebound to 127.0.0.1 cannot call
 * the API from the kiosk's browser.
 */
export function isExactLoopbackHost(header: string | undefined, bound: string, port: number): boolean {
  if (header === undefined) return false;
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(header.toLowerCase());
  if (!m) return false;
  const name = m[1] ?? '';
  const portText = m[2];
  const boundName = bound.includes(':') ? `[${bound}]` : bound;
  if (!LOOPBACK_NAMES.has(name) && name !== boundName) return false;
  if (portText === undefined) return port === 80;
  return Number(portText) === port && String(Number(portText)) === portText;
}

/** Refuses (403, field `host`) a request to a loopback-bound server under any other name. */
export function checkHost(header: string | undefined, bound: string, port: number): void {
  if (!isLoopbackBound(bound)) return;
  if (isExactLoopbackHost(header, bound, port)) return;
  throw new KioskError('KIOSK_E_FORBIDDEN', {
    field: 'host',
    zh: '只接受本机地址的请求',
    en: 'only requests to the loopback address are served',
  });
}
