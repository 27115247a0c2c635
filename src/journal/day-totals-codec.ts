import {
  emptyLedgerCounts,
  emptyLedgerDay,
  type LedgerDay,
  type TallyRow,
  tallyKey,
} from '../reports/day-tally.ts';
import type { FenTally } from '../reports/fen-tally.ts';
import { MOVEMENT_FIELDS } from '../reports/ledger-movement.ts';
import type { Tender } from '../reports/tender.ts';
import { CorruptRecordError, decodeValue, encodeValue } from './codec.ts';
import { dayTotalsKey } from './keys.ts';

/**
 * How the per-date totals are stored (format 3): one small record per date for its ledger part,
 * `g:<yyyymmdd>`, and one per row, `g:<yyyymmdd>:<service>|<who>|<tender>`, so that a commit
 * rewrites only the rows it changes, not the whole date (a busy day has a few dozen rows). Values
 * are arrays of integers in the field orders below, written and read only here.
 */

const TALLIES = ['payments', 'reversals', 'open', 'failed'] as const;
const TALLY_FIELDS = ['count', 'amountFen', 'feeFen'] as const satisfies ReadonlyArray<keyof FenTally>;
const LEDGER_FIELDS: ReadonlyArray<Exclude<keyof LedgerDay, 'counts'>> = [
  'entries',
  'openingFen',
  'deltaFen',
  ...MOVEMENT_FIELDS,
];
const COUNT_FIELDS = Object.keys(emptyLedgerCounts()) as Array<keyof LedgerDay['counts']>;

/** Integers in a row value: `recorded`, then count, amount and fee of each tally. */
const ROW_LENGTH = 1 + TALLIES.length * TALLY_FIELDS.length;
/** A date value: the cut, then the ledger sums, then the entry counts per balance view. */
const DATE_LENGTH = 1 + LEDGER_FIELDS.length + COUNT_FIELDS.length;

/** The key of a row of a date's totals. */
export const dayRowKey = (date: string, row: Pick<TallyRow, 'service' | 'who' | 'tender'>): string =>
  `${dayTotalsKey(date)}:${tallyKey(row)}`;

/** The stored value of a row. */
export function encodeRow(row: TallyRow): string {
  const out: number[] = [row.recorded];
  for (const t of TALLIES) for (const f of TALLY_FIELDS) out.push(row[t][f]);
  return encodeValue(out);
}

/** The stored value of a date's ledger part, dated by `cut`. */
export function encodeDatePart(cut: string, ledger: LedgerDay): string {
  const out: Array<string | number> = [cut];
  for (const f of LEDGER_FIELDS) out.push(ledger[f]);
  for (const f of COUNT_FIELDS) out.push(ledger.counts[f]);
  return encodeValue(out);
}

/** One stored record of the totals, decoded. */
export type DayTotalsEntry =
  | { kind: 'date'; date: string; cut: string; ledger: LedgerDay }
  | { kind: 'row'; date: string; row: TallyRow };

const KEY = /^g:(\d{8})(?::(.+))?$/;

/** The date a key of the totals belongs to, and its row's key (service|who|tender) when it is a row. */
export function splitDayTotalsKey(key: string): { date: string; row: string | undefined } | null {
  const m = KEY.exec(key);
  return m ? { date: m[1] as string, row: m[2] } : null;
}

/**
 * Decodes one `g:` record. A value that fails its checksum, is not the expected array of integers,
 * or sits under a key outside the layout is a CorruptRecordError naming the key.
 */
export function decodeDayTotalsEntry(key: string, value: string): DayTotalsEntry {
  const parts = splitDayTotalsKey(key);
  if (!parts) throw new CorruptRecordError(key, 'decode', 'not a per-date totals key');
  const { date, row: rowKey } = parts;
  const body = decodeValue<unknown>(key, value);
  if (rowKey === undefined) {
    if (!Array.isArray(body) || body.length !== DATE_LENGTH || typeof body[0] !== 'string')
      throw new CorruptRecordError(key, 'decode', 'not a per-date ledger record');
    const nums = integers(key, body.slice(1));
    const ledger = emptyLedgerDay();
    LEDGER_FIELDS.forEach((f, i) => {
      ledger[f] = nums[i] as number;
    });
    COUNT_FIELDS.forEach((f, i) => {
      ledger.counts[f] = nums[LEDGER_FIELDS.length + i] as number;
    });
    return { kind: 'date', date, cut: body[0], ledger };
  }
  const names = rowKey.split('|');
  if (names.length < 3) throw new CorruptRecordError(key, 'decode', 'not a per-date totals row key');
  const tender = names.pop() as Tender;
  const who = names.pop() as string;
  if (!Array.isArray(body) || body.length !== ROW_LENGTH)
    throw new CorruptRecordError(key, 'decode', 'not a per-date totals row');
  const nums = integers(key, body);
  const row = { service: names.join('|'), who, tender, recorded: nums[0] as number } as TallyRow;
  TALLIES.forEach((t, i) => {
    const at = 1 + i * TALLY_FIELDS.length;
    row[t] = { count: nums[at] as number, amountFen: nums[at + 1] as number, feeFen: nums[at + 2] as number };
  });
  return { kind: 'row', date, row };
}

function integers(key: string, values: unknown[]): number[] {
  for (const v of values)
    if (!Number.isSafeInteger(v)) throw new CorruptRecordError(key, 'decode', 'a total is not an integer');
  return values as number[];
}
