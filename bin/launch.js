// Starts a command line of the project: the compiled JavaScript in dist/ when it is there and no
// source is newer than the build (production, and every run after `npm ci`, whose `prepare` step
// builds it), else the TypeScript sources through tsx's loader (a working copy being edited).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SOURCES = ['src', 'devices'];

/** True when some TypeScript source changed after the build finished. */
function newerThan(dir, t) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (newerThan(p, t)) return true;
    } else if (e.name.endsWith('.ts') && statSync(p).mtimeMs > t) return true;
  }
  return false;
}

/** The build in `root`/dist is complete and no source under `root` changed after it. */
export function buildIsCurrent(root = ROOT, env = process.env) {
  const stamp = join(root, 'dist', '.built');
  if (env.KIOSK_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return !SOURCES.some((d) => existsSync(join(root, d)) && newerThan(join(root, d), built));
}

/** Imports `entry` (a path under src/, without extension) compiled or from source. */
export async function launch(entry) {
  if (buildIsCurrent()) {
    await import(join(ROOT, 'dist', `${entry}.js`));
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(join(ROOT, `${entry}.ts`));
}
