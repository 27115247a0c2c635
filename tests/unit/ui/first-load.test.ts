import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '../../../src/ui/web');

/** Modules a module pulls in before it runs: its static imports, transitively. */
async function staticGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const visit = async (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const src = await readFile(join(WEB, name), 'utf8');
    for (const m of src.matchAll(/^import\s[^;]*?from\s+'\.\/([\w-]+\.js)';/gms)) await visit(m[1]!);
  };
  await visit(entry);
  return seen;
}

describe('the first screen loads only what it draws', () => {
  it('neither the keypads, the service screens nor the operator login are in its module graph or preloaded', async () => {
    const graph = await staticGraph('app.js');
    expect((await staticGraph('console-entry.js')).has('keypad.js')).toBe(true);
    expect(graph.has('home.js')).toBe(true);
    for (const later of ['keypad.js', 'flow.js', 'console-entry.js', 'choices.js', 'card-step.js'])
      expect(graph.has(later), later).toBe(false);
    const html = await readFile(join(WEB, 'index.html'), 'utf8');
    const preloaded = [...html.matchAll(/rel="modulepreload" href="\/ui\/([\w-]+\.js)"/g)].map((m) => m[1]);
    for (const p of preloaded) expect(graph.has(p!), `${p} preloaded but not needed first`).toBe(true);
  });

  it('asks for the services’ tiles, not their full definitions', async () => {
    const home = await readFile(join(WEB, 'home.js'), 'utf8');
    expect(home).toContain("'/api/service-tiles'");
    expect(home).not.toContain("'/api/services'");
  });
});
