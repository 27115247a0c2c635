import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

/** Every TypeScript file under `dir`, relative to the project root. */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(relative(ROOT, p));
  }
  return out;
}

/** The code without its comments (a comment may describe the store's layout). */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** The files a file imports statically (type imports too), relative to the project root. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of code(text).matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms))
    out.push(normalize(join(dirname(file), m[1] as string)));
  return out;
}

async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const f of await sources(SRC)) graph.set(f, importsOf(f, await readFile(join(ROOT, f), 'utf8')));
  return graph;
}

/** A chain of imports from `from` back to itself, if there is one. */
function cycleThrough(graph: Map<string, string[]>, from: string): string[] | null {
  const seen = new Set<string>();
  const walk = (f: string, path: string[]): string[] | null => {
    for (const next of graph.get(f) ?? []) {
      if (next === from) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(from, [from]);
}

/** The journal's key prefixes (src/journal/keys.ts) as they would appear at the start of a string. */
const JOURNAL_KEY = /['"`][mtelhipcrqowkag]:/;

describe('the seams between the kiosk and its surfaces', () => {
  it('no journal key is spelled outside src/journal (the reference HQ keeps its own store)', async () => {
    const found: string[] = [];
    for (const f of await sources(SRC)) {
      if (f.startsWith('src/journal/') || f.startsWith('src/reference-hq/')) continue;
      const text = code(await readFile(join(ROOT, f), 'utf8'));
      text.split('\n').forEach((line, i) => {
        if (JOURNAL_KEY.test(line) || line.includes('\\xff')) found.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('the local API and the CLI use their own narrow view of the kiosk, not the composition root', async () => {
    const graph = await importGraph();
    const reaching: string[] = [];
    for (const [f, deps] of graph)
      if (
        (f.startsWith('src/ui/server/') || f.startsWith('src/cli/')) &&
        deps.includes('src/app/kiosk-app.ts')
      )
        reaching.push(f);
    expect(reaching).toEqual([]);
  });

  it('a quote is the engine`s: the local API does not prepare transactions itself', async () => {
    const graph = await importGraph();
    const preparing = [...graph]
      .filter(([f, deps]) => f.startsWith('src/ui/') && deps.includes('src/engine/create-transaction.ts'))
      .map(([f]) => f);
    expect(preparing).toEqual([]);
  });

  it('no import cycle runs through the kiosk, its engine, its journal, its local API or its CLI', async () => {
    const graph = await importGraph();
    const cycles: string[] = [];
    for (const f of graph.keys()) {
      if (!/^src\/(app|engine|journal|ui\/server|cli)\//.test(f)) continue;
      const c = cycleThrough(graph, f);
      if (c) cycles.push(c.join(' → '));
    }
    expect(cycles).toEqual([]);
  });

  /**
   * The service seam: service definitions (src/core/services), the transaction model and rules
   * they are written against (src/core/transaction) and the engine that runs them (src/engine).
   * Their types come from the schemas (fields, inquiry answers, the effect data a transaction
   * keeps), so none of them casts: not to an inline shape, to `never`, through `unknown`, to a
   * `Record`, nor to a named type.
   */
  it('no cast at the service seam: services, the transaction model and the engine', async () => {
    const SEAM = /^src\/(core\/services|core\/transaction|engine)\//;
    // Any `x as T` but `as const`; `as` inside words and comments is not matched.
    const CAST = /[\w)\]?!]\s+as\s+(?!const\b)[\w{([]/;
    const found: string[] = [];
    for (const f of await sources(SRC)) {
      if (!SEAM.test(f)) continue;
      for (const line of code(await readFile(join(ROOT, f), 'utf8')).split('\n'))
        if (CAST.test(line.replace(/'[^']*'|`[^`]*`/g, "''"))) found.push(`${f}: ${line.trim()}`);
    }
    expect(found).toEqual([]);
  });

  it('an inquiry answer is typed by its schema: no rule takes it as a bag of unknowns', async () => {
    const found: string[] = [];
    for (const f of await sources(SRC)) {
      if (!/^src\/(core|engine)\//.test(f)) continue;
      code(await readFile(join(ROOT, f), 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          if (/\banswer\s*:\s*Record\s*<\s*string\s*,\s*unknown\s*>/.test(line)) found.push(`${f}:${i + 1}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('HQ answers a read-only question (inquiry, list, operator query) only through its answer schema', async () => {
    const text = code(await readFile(join(SRC, 'engine/engine.ts'), 'utf8'));
    // The engine member each raw question to HQ is asked from: only askChecked, which parses it.
    const askers: string[] = [];
    for (const m of text.matchAll(/this\.ask\(/g)) {
      const before = text.slice(0, m.index);
      const member = [...before.matchAll(/^ {2}(?:private |public )?(?:async )?(\w+)\(/gm)].at(-1);
      askers.push(member?.[1] ?? '?');
    }
    expect(askers).toEqual(['askChecked']);
    // An operator query names its answer's schema; a bare list of operations would pass HQ on.
    expect(text).toMatch(/askHq\([\s\S]*?this\.askChecked\(def, op, schema/);
    // The repayment terminal's operator queries read HQ's data only through parseHqAnswer.
    const terminal = code(await readFile(join(SRC, 'app/card-terminal.ts'), 'utf8'));
    const reads = [...terminal.matchAll(/^.*\banswer\.data\b.*$/gm)].map((m) => m[0].trim());
    expect(reads.every((l) => l.includes('parseHqAnswer('))).toBe(true);
    // The payment-QR acquirer's answers (money moves on them) likewise, and nothing casts them.
    const qr = code(await readFile(join(SRC, 'orders/qr-acquirer.ts'), 'utf8'));
    const qrReads = [...qr.matchAll(/^.*\bresult\.data\b.*$/gm)].map((m) => m[0].trim());
    expect(qrReads.filter((l) => !l.includes('parseHqAnswer(') && !l.includes('!result.data'))).toEqual([]);
    expect(qr).toMatch(/parseHqAnswer\(qrAnswerSchema, result\.data\)/);
    expect(qr).not.toMatch(/\bas QrAnswer\b/);
  });

  it('the reference HQ reads a relayed journal event by its type, not through a cast', async () => {
    const found: string[] = [];
    for (const f of await sources(join(SRC, 'reference-hq'))) {
      code(await readFile(join(ROOT, f), 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          if (/\b(ev|e|event)\.(txn|info|order|ledger)\s+as\b|\((ev|event)\s+as\s+\{/.test(line))
            found.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
