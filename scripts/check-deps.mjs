/**
 * Fails when a dependency in package.json is imported nowhere: every runtime, optional and dev
 * dependency must appear in an import, a dynamic import or require in the project's code, or be a
 * tool run by name (listed below with where it is used). Part of `npm run check`.
 * Usage: node scripts/check-deps.mjs [project folder, default: this repository]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const DIRS = ['src', 'devices', 'tests', 'scripts', 'bin'];
/** Used without an import: command-line tools and type packages. */
const TOOLS = {
  '@biomejs/biome': 'npm run check / lint / format',
  typescript: 'tsc in npm run check',
  tsx: 'node --import tsx (bin/, npm run bench)',
  vitest: 'npm test',
};

async function* files(dir) {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) yield* files(p);
    } else if (/\.(ts|mts|js|mjs|cjs)$/.test(e.name)) yield p;
  }
}

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
const used = new Set();
const spec = /(?:from\s+|import\s*\(\s*|require(?:\.resolve)?\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;
for (const d of DIRS) {
  for await (const f of files(join(ROOT, d))) {
    for (const m of (await readFile(f, 'utf8')).matchAll(spec)) {
      const s = m[1];
      if (s.startsWith('.') || s.startsWith('node:')) continue;
      used.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
    }
  }
}
const unused = deps.filter((d) => {
  if (d in TOOLS || used.has(d)) return false;
  // @types/x is used when x is.
  if (d.startsWith('@types/')) {
    const base = d.slice(7);
    return !(used.has(base) || used.has(base.replace('__', '/')) || base === 'node');
  }
  return true;
});
if (unused.length > 0) {
  process.stderr.write(`dependencies that nothing imports: ${unused.join(', ')}\n`);
  process.exit(1);
}
