import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { toLocal } from '../../core/business-day.ts';
import { isKioskError, KioskError } from '../../core/errors.ts';
import { type ApiTxn, KioskApiClient, KioskUnreachableError, kioskUrl } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { readSecret } from '../prompt.ts';
import type { GlobalOptions } from '../with-app.ts';

/** Options of every command that talks to the running kiosk. */
export interface ApiOptions {
  url?: string;
  operator?: string;
  token?: string;
  json?: boolean;
}

export function apiOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'the running kiosk (default: KIOSK_URL, else the configured http host and port)')
    .option('--operator <code>', '操作员代码 operator code; the password is read from the terminal or stdin')
    .option('--token <token>', 'an operator session token (or KIOSK_TOKEN) instead of --operator')
    .option('--json', 'print JSON');
}

/**
 * Connects to the running kiosk (never opening the journal), logs the operator in when asked and
 * runs `fn`; the session it opened is closed afterwards. A kiosk that cannot be reached gives exit
 * code 4; refusals keep the exit code of their error code.
 */
export async function withApi(
  program: Command,
  opts: ApiOptions,
  need: 'operator' | 'optional',
  fn: (client: KioskApiClient) => Promise<number>,
): Promise<number> {
  const url = await kioskUrl({ url: opts.url, config: program.opts<GlobalOptions>().config });
  const client = new KioskApiClient(url);
  let loggedIn = false;
  try {
    if (opts.operator) {
      const password = await readSecret(`操作员 ${opts.operator} 密码 password: `);
      await client.login(opts.operator, password);
      loggedIn = true;
    } else if (opts.token ?? process.env.KIOSK_TOKEN) {
      client.token = opts.token ?? process.env.KIOSK_TOKEN;
    } else if (need === 'operator') {
      process.stderr.write(
        '错误 error: 需要操作员登录，请加 --operator CODE / operator login required: add --operator CODE\n',
      );
      return EXIT.USAGE;
    }
    return await fn(client);
  } catch (e) {
    if (!(e instanceof KioskUnreachableError)) throw e;
    if (opts.json)
      process.stdout.write(`${JSON.stringify({ error: { code: 'UNREACHABLE', url } }, null, 2)}\n`);
    process.stderr.write(`错误 error: ${e.message}\n`);
    return EXIT.UNAVAILABLE;
  } finally {
    if (loggedIn) await client.logout();
  }
}

/**
 * Asks a yes/no question on stderr. On a terminal the answer is typed; from a script it is the
 * next line of stdin (shared with the password reader). Only y, yes or 是 mean yes.
 */
export async function confirm(question: string): Promise<boolean> {
  let answer: string;
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    answer = await rl.question(`${question} [y/N] `);
    rl.close();
  } else {
    process.stderr.write(`${question} [y/N] `);
    answer = await readSecret('');
    process.stderr.write('\n');
  }
  return /^(y|yes|是)$/i.test(answer.trim());
}

/** "2026-11-26 10:05:09" in Asia/Shanghai. */
export function localTime(epochMs: number): string {
  const l = toLocal(epochMs);
  const d = `${l.date.slice(0, 4)}-${l.date.slice(4, 6)}-${l.date.slice(6, 8)}`;
  return `${d} ${l.hhmmss.slice(0, 2)}:${l.hhmmss.slice(2, 4)}:${l.hhmmss.slice(4, 6)}`;
}

export type FieldLabels = Record<string, { zh: string; en: string }>;

/** Field labels of a service from the API (for printing); empty when the service is unknown. */
export async function fieldLabels(client: KioskApiClient, service: string): Promise<FieldLabels> {
  try {
    const s = await client.get<{ fields: Array<{ name: string; zh: string; en: string }> }>(
      `/api/services/${encodeURIComponent(service)}`,
    );
    return Object.fromEntries(s.fields.map((f) => [f.name, { zh: f.zh, en: f.en }]));
  } catch (e) {
    if (e instanceof KioskError && e.code === 'KIOSK_E_UNKNOWN_SERVICE') return {};
    throw e;
  }
}

/** Prints one transaction for people (already masked by the kiosk). */
export function printTxn(t: ApiTxn, labels: FieldLabels): void {
  const out: string[] = [
    `流水号 serial: ${t.serial}`,
    `业务 service: ${t.serviceName.zh} ${t.serviceName.en}`,
    `状态 state: ${t.stateLabel.zh} / ${t.stateLabel.en} (${t.state})`,
  ];
  if (!t.terminal) out.push(`进度 progress: ${t.status.zh} / ${t.status.en}`);
  for (const [k, v] of Object.entries(t.fields)) {
    if (k === 'amount' || k === 'confirm') continue;
    const l = labels[k];
    out.push(`${l ? `${l.zh} ${l.en}` : k}: ${String(v)}`);
  }
  out.push(`金额 amount ￥${t.amount}  手续费 fee ￥${t.fee}  合计 total ￥${t.total}`);
  out.push(
    `时间 time: ${localTime(t.createdAt)}  账务日期 business date: ${t.businessDate}  柜员 operator: ${t.operator ?? '自助 self-service'}`,
  );
  if (t.reason) out.push(`原因 reason: ${t.reason.zh} / ${t.reason.en}`);
  for (const a of t.status.alerts) out.push(`告警 alert: ${a.zh} / ${a.en}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** `--wait <seconds>` as ms; whole seconds from 0 to 3600. */
export function waitMs(seconds: string): number {
  if (!/^\d{1,4}$/.test(seconds) || Number(seconds) > 3600) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'wait',
      zh: '等待时间应为 0 至 3600 秒',
      en: '--wait must be 0 to 3600 seconds',
    });
  }
  return Number(seconds) * 1000;
}

/**
 * Runs `local` on the journal when no kiosk holds it; null when the running kiosk holds it
 * (KIOSK_E_JOURNAL_LOCKED), so that the caller asks the kiosk's API for the same answer.
 */
export async function unlessRunning<T>(local: () => Promise<T>): Promise<T | null> {
  try {
    return await local();
  } catch (e) {
    if (isKioskError(e) && e.code === 'KIOSK_E_JOURNAL_LOCKED') return null;
    throw e;
  }
}
