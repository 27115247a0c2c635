import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hqJsonSchemas, SCHEMA_DIR } from '../../../scripts/hq-gen-schemas.ts';

describe('docs/schemas', () => {
  it('match the zod schemas the code validates with (run scripts/hq-gen-schemas.ts after a change)', async () => {
    const generated = hqJsonSchemas();
    const committed = (await readdir(SCHEMA_DIR)).filter((f) => f.endsWith('.schema.json')).sort();
    expect(committed).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) {
      expect(await readFile(join(SCHEMA_DIR, file), 'utf8'), file).toBe(text);
    }
  });
});
