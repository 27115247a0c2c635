import type { Command } from 'commander';
import { addConnectOptions, type ConnectOptions, withAdmin } from './connect.ts';
import { out } from './print.ts';

type Run = (fn: () => Promise<number>) => void;
type Opts = ConnectOptions & { json?: boolean; station?: string };

interface QrRow {
  paymentId: string;
  station: string;
  orderId: string;
  amount: string;
  status: string;
  expiresAt: number;
  late: boolean;
}

const line = (r: QrRow): string =>
  `${r.paymentId}\t${r.station}\t${r.orderId}\t${r.amount}\t${r.status}${r.late ? ' (late: refunded)' : ''}\t${new Date(r.expiresAt).toISOString()}`;

/**
 * The payment-QR acquirer HQ stands in for: list its payment orders, pay one as the customer's
 * wallet would (after its expiry the payment is refunded at once), or end one's time now.
 */
export function registerQrCommands(program: Command, run: Run): void {
  const qr = program.command('qr').description('payment-QR orders (HQ stands in for the acquirer)');
  addConnectOptions(qr.command('list'))
    .description('payment orders, newest first')
    .option('--station <id>', 'only this station')
    .option('--json', 'JSON output')
    .action((o: Opts) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<QrRow[]>('qr-list', o.station ? { station: o.station } : {}),
        );
        out(o.json, r, () => r.map(line).join('\n') || '(none)');
        return 0;
      }),
    );
  for (const [name, action, what] of [
    ['pay', 'qr-pay', 'pay a payment order as the customer would (late: refunded at once)'],
    ['expire', 'qr-expire', 'end a payment order’s time now; it takes no payment after this'],
  ] as const) {
    addConnectOptions(qr.command(`${name} <order>`))
      .description(`${what}; ORDER is the payment id or the kiosk's order id`)
      .option('--json', 'JSON output')
      .action((ref: string, o: Opts) =>
        run(async () => {
          const r = await withAdmin(o, (c) => c.request<QrRow>(action, { ref }));
          out(o.json, r, () => line(r));
          return 0;
        }),
      );
  }
}
