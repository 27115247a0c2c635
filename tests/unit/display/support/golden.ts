import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** Golden files live in tests/golden/display; `UPDATE_DISPLAY_GOLDEN=1` rewrites them. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../golden/display');

/**
 * Compares `body` with the golden file `name` (lines starting with `//` are comments and ignored).
 * A missing golden fails unless UPDATE_DISPLAY_GOLDEN=1.
 */
export function expectGolden(name: string, header: string, body: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_DISPLAY_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    const comments = header
      .split('\n')
      .map((l) => `// ${l}`)
      .join('\n');
    writeFileSync(path, `${comments}\n${body}\n`);
    return;
  }
  expect(existsSync(path), `golden ${name} missing; run with UPDATE_DISPLAY_GOLDEN=1`).toBe(true);
  const stored = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('//'))
    .join('\n')
    .trim();
  expect(body.trim()).toBe(stored);
}
