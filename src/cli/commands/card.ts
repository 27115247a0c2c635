import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { type ApiOptions, apiOptions, withApi } from './api-command.ts';

interface CardAnswer {
  present: boolean;
  card: {
    cardSerial: string;
    customerNo: string;
    purchaseCounter: number;
    pendingUnits: number;
    totalUnits: number;
  } | null;
  reason?: { zh: string; en: string };
}

/** Centi-kWh as kWh with two decimals; integers only. */
const kwh = (u: number) => `${Math.floor(u / 100)}.${String(u % 100).padStart(2, '0')} kWh`;

/** `kiosk card read`: the electricity card in the reader (serial, customer, counter, units). */
export function registerCard(program: Command, run: (fn: () => Promise<number>) => void): void {
  const card = program.command('card').description('智能电卡 / the electricity card in the reader');
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
              `购电 / buy: kiosk pay power-card customerNo=<用户号> cardSerial=${c.cardSerial} amount=…\n`,
          );
          return EXIT.OK;
        }),
      ),
  );
}
