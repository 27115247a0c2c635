import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { STATION_RE } from '../protocol/topics.ts';

/** User name of the reference HQ instance on the embedded broker. */
export const HQ_USER = 'hq';
/** User name of the `kiosk-hq` administration tool on the embedded broker. */
export const ADMIN_USER = 'hq-admin';

export interface BrokerLogin {
  username: string;
  password: string;
}

const fileSchema = z.strictObject({
  v: z.literal(1),
  hq: z.string().min(32),
  admin: z.string().min(32),
  kiosks: z.record(z.string().regex(STATION_RE), z.string().min(32)),
});
type CredentialsFile = z.infer<typeof fileSchema>;

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * The embedded broker's accounts: one password for HQ, one for the admin tool and one per kiosk
 * station, random (256 bits) and generated at first start into a JSON file readable only by the
 * kiosk's user (mode 0600, in HQ's data folder, never in the repository). Every client of the
 * broker must log in with one of them; the account decides what it may do (see broker-acl.ts).
 */
export class BrokerCredentials {
  private constructor(
    private readonly path: string,
    private data: CredentialsFile,
  ) {}

  /** Reads the file, creating it (mode 0600) with fresh secrets when it does not exist. */
  static async open(path: string): Promise<BrokerCredentials> {
    let data: CredentialsFile;
    try {
      data = fileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`embedded broker credentials ${path} are unreadable: ${(e as Error).message}`);
      }
      data = { v: 1, hq: newSecret(), admin: newSecret(), kiosks: {} };
      await writeSecret(path, data);
    }
    // An older or copied file may have looser permissions; the secrets are the kiosk user's only.
    await chmod(path, 0o600);
    return new BrokerCredentials(path, data);
  }

  get hq(): BrokerLogin {
    return { username: HQ_USER, password: this.data.hq };
  }

  get admin(): BrokerLogin {
    return { username: ADMIN_USER, password: this.data.admin };
  }

  /** The login of a kiosk station, created (and saved) the first time it is asked for. */
  async kiosk(station: string): Promise<BrokerLogin> {
    if (!STATION_RE.test(station)) throw new Error(`not a station id: ${station}`);
    let secret = this.data.kiosks[station];
    if (!secret) {
      secret = newSecret();
      this.data = { ...this.data, kiosks: { ...this.data.kiosks, [station]: secret } };
      await writeSecret(this.path, this.data);
    }
    return { username: station, password: secret };
  }

  /** Whether `username` / `password` is one of the accounts (compared in constant time). */
  check(username: string | undefined, password: Buffer | undefined): boolean {
    if (!username || !password) return false;
    const expected =
      username === HQ_USER
        ? this.data.hq
        : username === ADMIN_USER
          ? this.data.admin
          : STATION_RE.test(username)
            ? this.data.kiosks[username]
            : undefined;
    if (expected === undefined) return false;
    return timingSafeEqual(digest(expected), digest(password.toString('utf8')));
  }
}

/** Writes the file atomically with mode 0600 from the start (never readable by others, even briefly). */
async function writeSecret(path: string, data: CredentialsFile): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
