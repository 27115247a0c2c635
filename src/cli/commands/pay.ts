import type { Command } from 'commander';
import { KioskError, KioskValidationError } from '../../core/errors.ts';
import { SERVICE_CATALOGUE } from '../../core/services/catalogue.ts';
import { type ApiTxn, followTransaction, type KioskApiClient, parseAssignments } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { serviceHelp, servicesHelp } from '../service-help.ts';
import { type ApiOptions, apiOptions, confirm, printTxn, waitMs, withApi } from './api-command.ts';

interface PayOptions extends ApiOptions {
  yes?: boolean;
  wait: string;
}

interface ServiceInfo {
  id: string;
  title: { zh: string; en: string };
  fields: Array<{ name: string; zh: string; en: string; fromCard?: boolean }>;
  inquiry: { fields: string[] } | null;
}

interface Quote {
  fields: Record<string, unknown>;
  amount: string;
  fee: string;
  total: string;
  balanceSufficient?: boolean;
}

/**
 * `kiosk pay <service> key=value...`: asks the biller first where the service has an inquiry,
 * shows the amount, fee and total, asks for confirmation (unless --yes), creates the transaction
 * and follows it until it is final or waiting on automatic queries.
 */
export function registerPay(program: Command, run: (fn: () => Promise<number>) => void): void {
  apiOptions(
    program
      .command('pay <service> [fields...]')
      .description(
        '缴费/充值 / pay a bill or top up through the running kiosk: kiosk pay mobile-topup phone=… amount=50',
      )
      .option('-y, --yes', 'do not ask for confirmation (the customer has confirmed)')
      .option('--wait <seconds>', 'follow the transaction at most this long', '60')
      .addHelpText('after', () => payHelp(process.argv)),
  ).action((service: string, args: string[], opts: PayOptions) =>
    run(() =>
      withApi(program, opts, 'optional', async (client) => {
        const input = parseAssignments(args);
        const info = await client.get<ServiceInfo>(`/api/services/${encodeURIComponent(service)}`);
        const say = (s: string): void => {
          process.stderr.write(`${s}\n`);
        };
        const labels = Object.fromEntries(info.fields.map((f) => [f.name, f]));
        const fromCard = new Set(info.fields.filter((f) => f.fromCard).map((f) => f.name));
        await nameTheCard(client, fromCard, input);
        const given = (f: string) => f in input || (fromCard.has(f) && 'cardToken' in input);
        // Every local rule first (fields, amount rules, caps, the balance): a refusal here costs no
        // question to HQ. Only fields still to be chosen from the inquiry's answer (e.g. a contract
        // number) may be missing; then the answer is shown before the refusal.
        let quote: Quote | undefined;
        let missing: unknown;
        try {
          quote = await client.post<Quote>(`/api/services/${info.id}/quote`, input);
        } catch (e) {
          if (!onlyMissingFields(e, input)) throw e;
          missing = e;
        }
        if (quote?.balanceSufficient === false)
          throw new KioskError('KIOSK_E_INSUFFICIENT_BALANCE', {
            field: 'amount',
            zh: `信誉度可用余额不足 ${quote.amount} 元，未向总部发送任何请求`,
            en: `the available prepaid balance is below ${quote.amount} yuan; nothing was sent to HQ`,
          });
        let inquiry: Record<string, unknown> | undefined;
        if (info.inquiry?.fields.every(given)) {
          const only = Object.fromEntries(
            [...info.inquiry.fields, 'cardToken'].filter((f) => f in input).map((f) => [f, input[f]]),
          );
          inquiry = (
            await client.post<{ answer: Record<string, unknown> }>(`/api/services/${info.id}/inquiry`, only)
          ).answer;
          say('查询结果 inquiry:');
          for (const [k, v] of Object.entries(inquiry))
            say(`  ${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
        }
        if (missing || !quote) throw missing;
        say(`${info.title.zh} ${info.title.en}`);
        for (const [k, v] of Object.entries(quote.fields)) {
          if (k === 'amount' || k === 'confirm') continue;
          say(`  ${labels[k] ? `${labels[k].zh} ${labels[k].en}` : k}: ${String(v)}`);
        }
        say(`  金额 amount ￥${quote.amount}  手续费 fee ￥${quote.fee}  合计 total ￥${quote.total}`);
        if (
          !opts.yes &&
          !(await confirm(`确认收取 ￥${quote.total} 并缴费？ Collect ￥${quote.total} and pay?`))
        ) {
          say('已取消，未扣款 / cancelled; nothing was charged');
          if (opts.json) printJson({ cancelled: true, quote });
          return EXIT.REFUSED;
        }
        const txn = await followTransaction(
          client,
          null,
          () => client.post<ApiTxn>(`/api/services/${info.id}/transactions`, input),
          waitMs(opts.wait),
        );
        if (opts.json) printJson({ quote, ...(inquiry ? { inquiry } : {}), transaction: txn });
        else printTxn(txn, labels);
        if (txn.terminal && txn.result === 'failed') {
          process.stderr.write(
            `交易失败，已退回冻结金额 / the payment failed; the held amount was released${txn.reason ? `: ${txn.reason.zh} / ${txn.reason.en}` : ''}\n`,
          );
          return EXIT.REFUSED;
        }
        if (!txn.terminal)
          process.stderr.write(
            `处理中，服务亭会自动查询结果，可用 kiosk query ${txn.serial} 查看 / pending: the kiosk keeps asking by itself; see kiosk query ${txn.serial}\n`,
          );
        return EXIT.OK;
      }),
    ),
  );
}

/** `kiosk pay --help` lists the services; `kiosk pay SERVICE --help` that service's fields. */
function payHelp(argv: readonly string[]): string {
  const at = argv.indexOf('pay');
  const named = at >= 0 ? argv.slice(at + 1).find((a) => !a.startsWith('-')) : undefined;
  const def = SERVICE_CATALOGUE.find((s) => s.id === named);
  return def ? serviceHelp(def) : servicesHelp(SERVICE_CATALOGUE);
}

/**
 * Fields the kiosk takes from the card in its reader (the power card's serial and customer number)
 * that were not typed: the card is read through the kiosk (`GET /api/card`), which shows it masked
 * and answers a token the request names it by. Without a card the fields stay missing and the
 * refusal names them.
 */
async function nameTheCard(
  client: KioskApiClient,
  fromCard: ReadonlySet<string>,
  input: Record<string, unknown>,
): Promise<void> {
  if (fromCard.size === 0 || 'cardToken' in input || [...fromCard].every((f) => f in input)) return;
  const read = await client.get<{ present: boolean; cardToken?: string }>('/api/card');
  if (read.cardToken) input.cardToken = read.cardToken;
}

/** The refusal only names fields the input does not give at all (nothing given is wrong). */
function onlyMissingFields(e: unknown, input: Record<string, unknown>): boolean {
  if (!(e instanceof KioskValidationError)) return false;
  return e.issues.every((i) => i.field !== undefined && !(i.field in input));
}
