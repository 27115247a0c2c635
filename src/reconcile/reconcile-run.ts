import { KioskError } from '../core/errors.ts';
import {
  type CheckOptions,
  checkStatement,
  type StatementCheck,
  type StatementSource,
} from './statement-file.ts';
import {
  type Difference,
  type HqRepayment,
  type ReconcileSummary,
  reconcileStatement,
} from './statement-match.ts';

/** The outcome of one reconciliation: refused (nothing matched), or matched with its counts. */
export type ReconcileRun =
  | { refused: true; check: StatementCheck }
  | { refused: false; check: StatementCheck; summary: ReconcileSummary };

/**
 * The one reconciliation path every caller takes (`kiosk report reconcile`, `kiosk-hq reconcile
 * import`, the kiosk's API and console): the statement is checked whole (a bad one is refused and
 * nothing is matched and no sink is opened), the records of its dates are fetched from
 * `recordsOf`, then the sink is opened and the statement read again to match them; every
 * difference goes to the sink as it is found.
 */
export async function runReconciliation(
  source: StatementSource,
  recordsOf: (from: string, to: string) => Promise<readonly HqRepayment[]>,
  openSink: () => DifferenceSink,
  opts: CheckOptions = {},
): Promise<ReconcileRun> {
  const check = await checkStatement(source, opts);
  if (check.errors.length > 0 || check.from === null || check.to === null) return { refused: true, check };
  const records = await recordsOf(check.from, check.to);
  const sink = openSink();
  let summary: ReconcileSummary;
  try {
    summary = await reconcileStatement(source, records, (d) => sink.write(d));
  } finally {
    await sink.close();
  }
  return { refused: false, check, summary };
}

/** Where the differences of one reconciliation go, in the order they are found. */
export interface DifferenceSink {
  write(d: Difference): undefined | Promise<void>;
  close(): Promise<void>;
}

/** Errors listed in a refusal's details; the message names the first. */
const LISTED = 50;

/**
 * A refused statement as a bilingual error naming its first bad line and field; `details.errors`
 * lists the first errors (each with line, field, zh, en) and `details.count` all of them.
 */
export function statementRefusal(check: StatementCheck, field = 'statement'): KioskError {
  const count = check.errors.length + check.moreErrors;
  const first = check.errors[0];
  const where = first
    ? { zh: `第 ${first.line} 行 ${first.zh}`, en: `line ${first.line} ${first.field}: ${first.en}` }
    : { zh: '', en: '' };
  return new KioskError('KIOSK_E_INVALID_INPUT', {
    field,
    zh: `对账文件有误，未对账（共 ${count} 处）：${where.zh}`,
    en: `statement refused, nothing matched (${count} errors): ${where.en}`,
    details: { count, errors: check.errors.slice(0, LISTED) },
  });
}

/** The refusal as the command lines print it: every listed error on its own line. */
export function refusalLines(check: StatementCheck): string {
  return [
    `statement refused, nothing matched — 对账文件有误，未对账 (${check.errors.length + check.moreErrors} errors):`,
    ...check.errors.map((e) => `  line ${e.line} ${e.field}: ${e.zh} / ${e.en}`),
    ...(check.moreErrors > 0 ? [`  … and ${check.moreErrors} more`] : []),
  ].join('\n');
}
