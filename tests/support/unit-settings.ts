import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The kiosk's systemd unit, as installed on the Pi. */
export const KIOSK_UNIT = join(import.meta.dirname, '../../systemd/newsstand-kiosk.service');

/**
 * The kiosk's environment and Node options as its systemd unit sets them (read from the unit, so a
 * benchmark or a test that runs the kiosk as deployed cannot differ from it): `MALLOC_*` variables
 * and the options between `node` and the script in ExecStart.
 */
export async function unitSettings(): Promise<{ env: Record<string, string>; nodeArgs: string[] }> {
  const unit = await readFile(KIOSK_UNIT, 'utf8');
  const env: Record<string, string> = {};
  for (const m of unit.matchAll(/^Environment=(MALLOC_[A-Z_]+)=(\S+)$/gm))
    env[m[1] as string] = m[2] as string;
  const exec = /^ExecStart=\S+\s+(.*)$/m.exec(unit)?.[1]?.split(/\s+/) ?? [];
  const script = exec.findIndex((a) => !a.startsWith('--'));
  return { env, nodeArgs: exec.slice(0, Math.max(0, script)) };
}
