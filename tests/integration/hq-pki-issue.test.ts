import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCa, issueCertificate, randomSerial } from '../../src/reference-hq/keys.ts';

let dir: string;
let ca: X509Certificate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-pki-'));
  await ensureCa(dir, 30, 'pki-test-ca');
  ca = new X509Certificate(await readFile(join(dir, 'ca.crt')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cert = async (path: string) => new X509Certificate(await readFile(path));

describe('issuing station certificates from one CA', () => {
  it('issues side by side: each EC P-256 certificate its own serial, CN and key, signed by the CA', async () => {
    const stations = Array.from({ length: 8 }, (_, i) => String(33_020_001 + i));
    const issued = await Promise.all(
      stations.map((cn) =>
        issueCertificate(dir, `station-${cn}`, { cn, kind: 'client', days: 30, key: 'ec-p256' }),
      ),
    );
    const certs = await Promise.all(issued.map((r) => cert(r.cert)));
    expect(new Set(certs.map((c) => c.serialNumber)).size).toBe(stations.length);
    for (const [i, c] of certs.entries()) {
      expect(c.subject).toBe(`CN=${stations[i]}`);
      expect(c.verify(ca.publicKey)).toBe(true);
      expect(c.publicKey.asymmetricKeyType).toBe('ec');
      expect(c.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
      expect(c.ca).toBe(false);
    }
    const keys = await Promise.all(issued.map((r) => readFile(r.key, 'utf8')));
    expect(new Set(keys).size).toBe(stations.length);
  });

  it('issues RSA-2048 by default, as `kiosk-hq keys station` does', async () => {
    const r = await issueCertificate(dir, 'station-33020099', { cn: '33020099', kind: 'client', days: 30 });
    const c = await cert(r.cert);
    expect(c.publicKey.asymmetricKeyType).toBe('rsa');
    expect(c.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(c.verify(ca.publicKey)).toBe(true);
  });

  it('draws positive 127-bit serials', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomSerial();
      expect(s).toMatch(/^0x[0-7][0-9a-f]{31}$/);
    }
  });
});
