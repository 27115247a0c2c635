/**
 * The UnionPay statement (银联流水) of credit-card repayments, as docs/unionpay-statement.md
 * describes it: UTF-8 CSV (a BOM is allowed), one header line naming exactly these columns in this
 * order, then one repayment per line. Pure: one line at a time, so a file of any size is read in
 * bounded memory.
 */
export const STATEMENT_COLUMNS = [
  'date',
  'time',
  'terminal',
  'serial',
  'card',
  'amount',
  'reference',
] as const;

export interface StatementRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  /** Business date yyyymmdd. */
  date: string;
  /** Local time HHMMSS. */
  time: string;
  /** The repayment terminal (8 digits) HQ bound to a station. */
  terminal: string;
  /** The station's transaction serial (流水号, 10 digits). */
  serial: string;
  /** Masked card number as UnionPay prints it: first 6, asterisks, last 4. */
  card: string;
  amountFen: number;
  /** UnionPay's retrieval reference number (检索参考号). */
  reference: string;
}

/** One problem with the file, naming the line and the field. */
export interface StatementError {
  line: number;
  field: string;
  zh: string;
  en: string;
}

const FIELD_ZH: Record<(typeof STATEMENT_COLUMNS)[number], string> = {
  date: '清算日期',
  time: '交易时间',
  terminal: '终端号',
  serial: '流水号',
  card: '卡号',
  amount: '金额',
  reference: '检索参考号',
};

/** Errors of the header line (line 1); none when it names exactly the columns, in order. */
export function checkHeader(text: string): StatementError[] {
  const cells = text
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.trim());
  if (cells.length === STATEMENT_COLUMNS.length && cells.every((c, i) => c === STATEMENT_COLUMNS[i]))
    return [];
  return [
    {
      line: 1,
      field: 'header',
      zh: `表头应为 ${STATEMENT_COLUMNS.join(',')}，实为 ${cells.join(',')}`,
      en: `the header must be ${STATEMENT_COLUMNS.join(',')}, found ${cells.join(',')}`,
    },
  ];
}

function validDate(d: string): boolean {
  if (!/^\d{8}$/.test(d)) return false;
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(4, 6));
  const day = Number(d.slice(6, 8));
  const probe = new Date(Date.UTC(y, m - 1, day));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === day;
}

/** Integer fen of a positive yuan amount with at most 2 decimals (never through a float). */
function fenOf(s: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** One data line: its row, or every error in it (each naming the field). */
export function parseStatementLine(
  text: string,
  line: number,
): { row: StatementRow; errors?: never } | { row?: never; errors: StatementError[] } {
  const cells = text.split(',').map((c) => c.trim());
  if (cells.length !== STATEMENT_COLUMNS.length) {
    return {
      errors: [
        {
          line,
          field: 'columns',
          zh: `应有 ${STATEMENT_COLUMNS.length} 列，实有 ${cells.length} 列`,
          en: `expected ${STATEMENT_COLUMNS.length} columns, found ${cells.length}`,
        },
      ],
    };
  }
  const [date, time, terminal, serial, card, amount, reference] = cells as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const errors: StatementError[] = [];
  const bad = (field: (typeof STATEMENT_COLUMNS)[number], want: string, wantEn: string, value: string) =>
    errors.push({
      line,
      field,
      zh: `${FIELD_ZH[field]}有误：${value || '（空）'}，应为${want}`,
      en: `bad ${field} "${value}": ${wantEn}`,
    });
  if (!validDate(date)) bad('date', '有效日期 yyyymmdd', 'a valid date yyyymmdd', date);
  if (!/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/.test(time)) bad('time', '时分秒 HHMMSS', 'a time HHMMSS', time);
  if (!/^\d{8}$/.test(terminal)) bad('terminal', '8 位数字', '8 digits', terminal);
  if (!/^\d{10}$/.test(serial)) bad('serial', '10 位数字', '10 digits', serial);
  if (!/^\d{6}\*{3,9}\d{4}$/.test(card))
    bad('card', '前 6 后 4 位、中间为 * 的卡号', 'first 6 and last 4 digits with * between', card);
  const amountFen = fenOf(amount);
  if (amountFen === null)
    bad('amount', '大于零、至多两位小数的金额', 'a positive amount with at most 2 decimals', amount);
  if (!/^[0-9A-Za-z]{12}$/.test(reference))
    bad('reference', '12 位字母数字', '12 letters or digits', reference);
  if (errors.length > 0) return { errors };
  return { row: { line, date, time, terminal, serial, card, amountFen: amountFen as number, reference } };
}
