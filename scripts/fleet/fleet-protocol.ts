/** What `npm run fleet` tells its kiosk workers, and what they answer (over the IPC channel). */
export interface WorkerOptions {
  dir: string;
  brokerUrl: string;
  ca: string;
  hqPublicKey: string;
  stations: Array<{ station: string; cert: string; key: string }>;
  /** HQ's opening credit of a new station, fen: a kiosk is funded once its balance reaches it. */
  openingFen: number;
  txnsPerKiosk: number;
  /** Longest pause of an operator between two sales, ms. */
  thinkMs: number;
  /** Longest pause after starting a kiosk before the next ten start, ms (spreads the connects). */
  startSpreadMs: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; done: number }
  | {
      type: 'result';
      latencies: number[];
      /** Transactions by final state; `refused:<code>` for a sale refused before it started. */
      outcomes: Record<string, number>;
      balances: Record<string, { balanceFen: number; heldFen: number }>;
    }
  | { type: 'stopped' };

/** The mixed load: bills with a biller inquiry and a top-up, as the counter sells them. */
export const FLEET_SALES: ReadonlyArray<{
  service: string;
  fields: Record<string, string>;
  /** The amount of one sale (yuan) from a draw in [0, 1). */
  amount: (r: number) => string;
}> = [
  { service: 'water-bill', fields: { account: '55501234' }, amount: fenAmount },
  { service: 'gas-bill', fields: { account: '66601234' }, amount: fenAmount },
  // Mobile top-up sells whole tens of yuan.
  {
    service: 'mobile-topup',
    fields: { phone: '13800138000' },
    amount: (r) => `${10 * (1 + Math.floor(r * 5))}`,
  },
];

/** 1.00–50.99 yuan, any fen. */
function fenAmount(r: number): string {
  const fen = 100 + Math.floor(r * 5000);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
