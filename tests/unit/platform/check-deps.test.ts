import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = new URL('../../../scripts/check-deps.mjs', import.meta.url).pathname;

function run(root: string) {
  return spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
}

describe('scripts/check-deps.mjs (in npm run check)', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'check-deps-'));
    await mkdir(join(root, 'src'));
    await mkdir(join(root, 'tests'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function project(deps: Record<string, Record<string, string>>, files: Record<string, string>) {
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'p', ...deps }));
    for (const [f, body] of Object.entries(files)) await writeFile(join(root, f), body);
  }

  it('names every dependency nothing imports, of each kind, and fails', async () => {
    await project(
      {
        dependencies: { level: '1', mqtt: '1' },
        devDependencies: { sinon: '1', '@types/sinon': '1' },
        optionalDependencies: { onoff: '1' },
      },
      { 'src/a.ts': "import { Level } from 'level';\n" },
    );
    const r = run(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dependencies that nothing imports: mqtt, sinon, @types/sinon, onoff');
  });

  it('counts static and dynamic imports, require, scoped packages, subpaths and @types of used packages', async () => {
    await project(
      {
        dependencies: { a: '1', b: '1', c: '1', '@s/d': '1', e: '1' },
        devDependencies: { '@types/e': '1', typescript: '1', vitest: '1' },
      },
      {
        'src/x.ts': "import a from 'a';\nconst b = await import('b');\n",
        'tests/y.ts': "const c = require('c/sub');\nimport type { D } from '@s/d/types';\nimport 'e';\n",
      },
    );
    const r = run(root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
