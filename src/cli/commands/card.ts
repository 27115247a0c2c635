import type { Command } from 'commander';
import { KioskError } from '../../core/errors.ts';
import { type ApiTxn, followTransaction } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';
import { type ApiOptions, apiOptions, fieldLabels, printTxn, waitMs, withApi } from './api-command.ts';

interface CardAnswer {
  present: boolean;
  cardToken?: string;
  card: {
    cardSerial: string;
    customerNo: string;
    purchaseCounter: number;
    pendingUnits: number;
    totalUnits: number;
  } | null;
  reason?: { zh: string; en: string };
}

interface FollowUp {
  serial: string;
  businessDate: string;
  state: string;
  kind: 'purchase' | 'reversal';
  awaiting: { zh: string; en: string };
  action: string | null;
}

interface Unconfirmed {
  items: FollowUp[];
  hq: {
    items: Array<{ kind: string; serial: string; customerNo: string; amountFen: number; day: string }>;
  } | null;
  hqError: { zh: string; en: string } | null;
}

/** Centi-kWh as kWh with two decimals; integers only. */
const kwh = (u: number) => `${Math.floor(u / 100)}.${String(u % 100).padStart(2, '0')} kWh`;
const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

/** What an operator action on an open card transaction is called, for people. */
const ACTION_NAMES: Record<string, string> = {
  reconfirm: '购电补确认 kiosk card confirm',
  'reverse-reconfirm': '撤销补确认 kiosk card confirm',
  'accounting-reverse': '账务撤销 kiosk card accounting-reverse',
};

/**
 * `kiosk card read | unconfirmed | confirm | accounting-reverse`: the electricity card in the
 * reader (shown masked), the unconfirmed list (未确认交易查询), supplementary confirmation
 * (购电补确认 / 撤销补确认) and accounting reversal (账务撤销), through the running kiosk's API.
 */
export function registerCard(program: Command, run: (fn: () => Promise<number>) => void): void {
  const card = program.command('card').description('智能电卡 / the electricity card purchases');
  apiOptions(card.command('read').description('读卡 / read the card in the reader')).action(
    (opts: ApiOptions) =>
      run(() =>
        withApi(program, opts, 'optional', async (client) => {
          const a = await client.get<CardAnswer>('/api/card');
          if (opts.json) {
            printJson(a);
            return EXIT.OK;
          }
          if (!a.card) {
            process.stdout.write(
              a.present
                ? `无法读卡 / cannot read the card: ${a.reason?.zh ?? ''} / ${a.reason?.en ?? ''}\n`
                : '请插入电卡 / insert the card\n',
            );
            return EXIT.REFUSED;
          }
          const c = a.card;
          process.stdout.write(
            `卡号 card ${c.cardSerial}\n用户号 customer ${c.customerNo}\n购电次数 purchases ${c.purchaseCounter}\n` +
              `卡内待输入电量 units on card ${kwh(c.pendingUnits)}\n累计写卡电量 units written ${kwh(c.totalUnits)}\n` +
              '购电 / buy (the kiosk takes the numbers from the card): kiosk pay power-card amount=…\n',
          );
          return EXIT.OK;
        }),
      ),
  );

  card
    .command('unconfirmed')
    .description('未确认交易查询 / card purchases and reversals not confirmed yet, and what each waits for')
    .option('--customer <no>', '用户号 one customer (or --card: the card in the reader)')
    .option('--card', 'the customer of the card in the reader')
    .option('--date <yyyymmdd>', 'one business date')
    .option('--url <url>', 'the running kiosk (default: KIOSK_URL, else the configured http host and port)')
    .option('--operator <code>', 'while the kiosk runs: log in as this operator and ask its API (and HQ)')
    .option('--token <token>', 'while the kiosk runs: an operator session token (or KIOSK_TOKEN)')
    .option('--json', 'print JSON')
    .action((opts: GlobalOptions & ApiOptions & { customer?: string; card?: boolean; date?: string }) =>
      run(() =>
        opts.url || opts.operator || opts.token || process.env.KIOSK_TOKEN || opts.card
          ? withApi(program, opts, 'operator', async (client) => {
              const q = new URLSearchParams();
              if (opts.customer) q.set('customerNo', opts.customer);
              if (opts.date) q.set('date', opts.date);
              if (opts.card) {
                const read = await client.get<CardAnswer>('/api/card');
                if (!read.cardToken) throw noCard();
                q.set('cardToken', read.cardToken);
              }
              const a = await client.get<Unconfirmed>(`/api/card/unconfirmed?${q}`);
              if (opts.json) printJson(a);
              else printUnconfirmed(a);
              return EXIT.OK;
            })
          : offlineUnconfirmed(opts),
      ),
    );

  const act = (name: string, pick: (state: string) => string | null, what: string) =>
    apiOptions(card.command(`${name} <serial>`).description(what))
      .option('--wait <seconds>', 'follow the transaction at most this long', '30')
      .action((serial: string, opts: ApiOptions & { wait: string }) =>
        run(() =>
          withApi(program, opts, 'operator', async (client) => {
            const before = await client.get<ApiTxn>(`/api/transactions/${encodeURIComponent(serial)}`);
            const action = pick(before.state);
            if (before.service !== 'power-card' || !action)
              throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
                field: 'serial',
                zh: `流水 ${before.serial}（${before.stateLabel.zh}）不能${what.split(' / ')[0]}`,
                en: `transaction ${before.serial} (${before.stateLabel.en}) cannot be ${name === 'confirm' ? 'confirmed again' : 'reversed in the books'} now`,
              });
            const txn = await followTransaction(
              client,
              before.serial,
              () => client.post<ApiTxn>(`/api/transactions/${before.serial}/actions/${action}`, {}),
              waitMs(opts.wait),
            );
            if (opts.json) printJson(txn);
            else printTxn(txn, await fieldLabels(client, 'power-card'));
            return EXIT.OK;
          }),
        ),
      );
  act(
    'confirm',
    (s) => (s === 'confirming' ? 'reconfirm' : s === 'reverse-confirming' ? 'reverse-reconfirm' : null),
    '补确认 / send the (reversal) write confirmation to HQ again now',
  );
  act(
    'accounting-reverse',
    (s) => (s === 'card-waiting' ? 'accounting-reverse' : null),
    '账务撤销 / give back a purchase whose card will not come back (nothing was written)',
  );
}

const noCard = () =>
  new KioskError('KIOSK_E_INVALID_INPUT', {
    field: 'card',
    zh: '读卡器中没有电卡',
    en: 'no card in the reader',
  });

function printUnconfirmed(a: Unconfirmed): void {
  if (a.items.length === 0)
    process.stdout.write('本亭没有未确认的电卡交易 / no open card transactions at this kiosk\n');
  else
    printTable(
      ['流水号 serial', '日期 date', '类型 kind', '等待 awaiting', '操作 action'],
      a.items.map((i) => [
        i.serial,
        i.businessDate,
        i.kind === 'purchase' ? '购电 purchase' : '撤销 reversal',
        `${i.awaiting.zh} / ${i.awaiting.en}`,
        i.action ? (ACTION_NAMES[i.action] ?? i.action) : '自动处理 automatic',
      ]),
    );
  if (a.hq) {
    process.stdout.write(`总部未确认 HQ unconfirmed: ${a.hq.items.length}\n`);
    if (a.hq.items.length > 0)
      printTable(
        ['流水号 serial', '日期 date', '类型 kind', '用户号 customer', '金额 amount'],
        a.hq.items.map((i) => [i.serial, i.day, i.kind, i.customerNo, yuan(i.amountFen)]),
      );
  } else if (a.hqError)
    process.stdout.write(`总部未应答 HQ did not answer: ${a.hqError.zh} / ${a.hqError.en}\n`);
}

/** With the kiosk stopped: its own open card transactions from the journal (HQ is not asked). */
async function offlineUnconfirmed(
  opts: GlobalOptions & { customer?: string; date?: string; json?: boolean },
): Promise<number> {
  const { cardFollowUps } = await import('../../reports/card-follow-ups.ts');
  return withApp(opts, async (app) => {
    const open = [];
    for (const serial of await app.records.openSerials()) {
      const t = await app.records.getTxn(serial);
      if (t) open.push(t);
    }
    const items = cardFollowUps(open, { customerNo: opts.customer, date: opts.date }).map((f) => f.followUp);
    const a: Unconfirmed = {
      items,
      hq: null,
      hqError: { zh: '服务亭未运行，未询问总部', en: 'the kiosk is not running; HQ was not asked' },
    };
    if (opts.json) printJson(a);
    else printUnconfirmed(a);
    return EXIT.OK;
  });
}
