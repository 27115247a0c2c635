import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadPrivateKey, publicKeyBase64 } from '../protocol/signed.ts';

const run = promisify(execFile);

export interface SigningKeyFiles {
  privatePem: string;
  publicPem: string;
  /** base64 of the raw 32-byte public key (what goes into the kiosk's `hq.publicKey`). */
  publicBase64: string;
}

export function generateSigningKey(): SigningKeyFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicBase64: publicKeyBase64(publicKey),
  };
}

/**
 * Reads HQ's signing key from `path`, creating it (mode 0600) when it does not exist. Instances
 * started together on one data folder agree on one key: a new key is written to a private file and
 * linked into place, so `path` appears only complete, and a loser of the race reads the winner's key.
 */
export async function ensureSigningKey(path: string): Promise<SigningKeyFiles> {
  const existing = await readSigningKey(path);
  if (existing) return existing;
  const k = generateSigningKey();
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, k.privatePem, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = await readSigningKey(path);
    if (!winner) throw new Error(`HQ signing key ${path} vanished while being created`);
    return winner;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await writeFile(`${path}.pub`, k.publicPem);
  return k;
}

/** The signing key at `path`, or null when there is none. */
async function readSigningKey(path: string): Promise<SigningKeyFiles | null> {
  let privatePem: string;
  try {
    privatePem = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const pub = createPublicKey(loadPrivateKey(privatePem));
  return {
    privatePem,
    publicPem: pub.export({ format: 'pem', type: 'spki' }).toString(),
    publicBase64: publicKeyBase64(pub),
  };
}

/** Runs openssl in `cwd`; `env` is its environment (this process's by default). */
async function openssl(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await run('openssl', args, { cwd, env });
}

/**
 * Creates a local CA (ca.key, ca.crt) in `dir` unless one exists; `env` is openssl's environment
 * (this process's by default).
 */
export async function ensureCa(
  dir: string,
  days = 3650,
  cn = 'newsstand-kiosk-hq-ca',
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    await readFile(join(dir, 'ca.crt'));
    return;
  } catch {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ed25519',
        '-nodes',
        '-days',
        String(days),
        '-subj',
        `/CN=${cn}`,
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
      ],
      dir,
      env,
    );
    await chmod(join(dir, 'ca.key'), 0o600);
  }
}

/** A certificate's key: RSA-2048 (what `kiosk-hq keys` issues) or EC P-256 (cheap to make in bulk). */
export type CertificateKey = 'rsa-2048' | 'ec-p256';

const NEW_KEY: Record<CertificateKey, string[]> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'ec-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

/**
 * A fresh serial number: 127 random bits (positive, unpredictable as RFC 5280 advises), so that
 * certificates issued at the same time from one CA never share one and need no serial file.
 */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return `0x${b.toString('hex')}`;
}

/**
 * Issues `<name>.key` / `<name>.crt` signed by the CA in `dir`. A station's client certificate has
 * CN = the station id (the broker uses it as the user name for its ACL); a server certificate
 * carries the host names in subjectAltName. Each certificate gets a random serial, so several may
 * be issued from one CA concurrently (distinct `name`s).
 */
export async function issueCertificate(
  dir: string,
  name: string,
  opts: {
    cn: string;
    kind: 'client' | 'server';
    days?: number;
    hosts?: string[];
    /** openssl's environment (this process's by default). */
    env?: NodeJS.ProcessEnv;
    /** The key type; RSA-2048 by default. */
    key?: CertificateKey;
  },
): Promise<{ cert: string; key: string }> {
  const ext = join(dir, `${name}.ext`);
  const lines =
    opts.kind === 'server'
      ? [
          'extendedKeyUsage=serverAuth',
          `subjectAltName=${(opts.hosts ?? ['localhost', '127.0.0.1']).map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`,
        ]
      : ['extendedKeyUsage=clientAuth'];
  await writeFile(ext, `${lines.join('\n')}\n`);
  await openssl(
    [
      'req',
      ...NEW_KEY[opts.key ?? 'rsa-2048'],
      '-nodes',
      '-subj',
      `/CN=${opts.cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ],
    dir,
    opts.env,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      randomSerial(),
      '-days',
      String(opts.days ?? 825),
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
    opts.env,
  );
  await chmod(join(dir, `${name}.key`), 0o600);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}
