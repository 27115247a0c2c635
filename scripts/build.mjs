// Compiles src/ and devices/ to dist/ (tsconfig.build.json) and stamps the build, so the command
// lines run JavaScript without a compiler at run time. `npm ci` runs it through `prepare`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const tscBin = join(root, 'node_modules/typescript/bin/tsc');
if (!existsSync(tscBin)) {
  // An install without the development tools: the command lines run the sources through tsx.
  process.stderr.write('typescript is not installed; not building dist/ (the sources run through tsx)\n');
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
mkdirSync(dist, { recursive: true });
// Written last: a build that stopped half-way has no stamp and is not used.
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
