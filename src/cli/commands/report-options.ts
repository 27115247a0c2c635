import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { KioskApiClient } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import type { ApiOptions } from './api-command.ts';

/** Every option of the report subcommands (each declares its own). */
export type ReportOpts = ApiOptions & {
  station?: boolean;
  teller?: string;
  date?: string;
  from?: string;
  to?: string;
  csv?: string;
  print?: boolean;
  record?: boolean;
  group?: string;
  limit?: string;
  after?: string;
  handedIn?: string;
  note?: string;
};

/** Runs a subcommand against the running kiosk as an operator; resolves to the exit code. */
export type ReportAction = (opts: ReportOpts, fn: (c: KioskApiClient) => Promise<number>) => void;

/** The parameters given, as a query string ("" when none). */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** --station or --teller CODE as API scope parameters; neither leaves the default of the role. */
export const scopeParams = (o: ReportOpts) => ({
  scope: o.station ? 'station' : o.teller ? 'teller' : undefined,
  operator: o.teller?.toUpperCase(),
});

/** Adds --station and --teller to a subcommand. */
export const scoped = (cmd: Command) =>
  cmd
    .option('--station', '网点 (supervisor): the whole station')
    .option('--teller <code>', '柜员: this teller (a teller may only name themself)');

/** Saves a CSV export byte for byte (UTF-8 with BOM) to FILE, or to stdout with "-". */
export async function saveCsv(client: KioskApiClient, path: string, file: string): Promise<number> {
  const bytes = await client.bytes(path);
  if (file === '-') process.stdout.write(bytes);
  else {
    await writeFile(file, bytes);
    process.stderr.write(`已导出 exported ${file}\n`);
  }
  return EXIT.OK;
}
