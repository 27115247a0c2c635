import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const FOLDERS = ['src', 'devices', 'docs', 'config', 'scripts', 'systemd', 'tests'];
const OUTSIDE = ['DOMAIN', '.md'].join('');

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (/\.(ts|js|md|json|css|html|conf|service)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the project states its rules in its own words', () => {
  it('cites no document outside the project', async () => {
    const all = [join(ROOT, 'README.md')];
    for (const f of FOLDERS) all.push(...(await files(join(ROOT, f))));
    const citing: string[] = [];
    for (const f of all)
      if ((await readFile(f, 'utf8')).includes(OUTSIDE)) citing.push(f.slice(ROOT.length + 1));
    expect(citing).toEqual([]);
  });
});
