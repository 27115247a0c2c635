/**
 * Writes docs/schemas/*.json from the zod schemas the HQ link validates with (never a second
 * hand-written copy). `node --import tsx scripts/hq-gen-schemas.ts`; a test fails when the committed
 * files differ from what this generates.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  adminRequestSchema,
  adminResponseSchema,
  commandDataSchemas,
  commandResultSchema,
  effectResultSchema,
  faultControlSchema,
  journalBatchSchema,
  presenceSchema,
  reportSchema,
  requestSchema,
  signedAckSchema,
  signedCommandSchema,
  signedEnvelopeSchema,
  signedResponseSchema,
  telemetrySchema,
} from '../src/protocol/schemas/index.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('../docs/schemas/', import.meta.url));

/** File name → JSON text of every protocol schema. */
export function hqJsonSchemas(): Record<string, string> {
  const named: Record<string, z.ZodType> = {
    'up-presence': presenceSchema,
    'up-telemetry': telemetrySchema,
    'up-journal': journalBatchSchema,
    'up-request': requestSchema,
    'up-command-result': commandResultSchema,
    'up-report': reportSchema,
    'down-signed-envelope': signedEnvelopeSchema,
    'down-signed-command': signedCommandSchema,
    'down-signed-response': signedResponseSchema,
    'down-signed-ack': signedAckSchema,
    'effect-result': effectResultSchema,
    'hq-admin-request': adminRequestSchema,
    'hq-admin-response': adminResponseSchema,
    'hq-fault-control': faultControlSchema,
  };
  for (const [cmd, schema] of Object.entries(commandDataSchemas)) named[`command-${cmd}`] = schema;
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(named)) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' });
    out[`${name}.schema.json`] =
      `${JSON.stringify({ $id: `newsstand-kiosk/hq/v1/${name}`, ...json }, null, 2)}\n`;
  }
  return out;
}

async function main(): Promise<void> {
  await mkdir(SCHEMA_DIR, { recursive: true });
  const files = hqJsonSchemas();
  for (const f of await readdir(SCHEMA_DIR))
    if (f.endsWith('.schema.json') && !(f in files)) await rm(join(SCHEMA_DIR, f));
  for (const [f, text] of Object.entries(files)) await writeFile(join(SCHEMA_DIR, f), text);
  process.stdout.write(`wrote ${Object.keys(files).length} schemas to ${SCHEMA_DIR}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
