import { errors, json, OPERATOR, ref } from './openapi-parts.ts';

/**
 * The OpenAPI part of credit-card reconciliation from the statements folders: paths and their
 * answer schemas (supervisor only). A statement is named by the `id` its listing gives.
 */
const str = { type: 'string' };
const int = { type: 'integer' };
const yuan = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', description: 'yuan with 2 decimals' };
const date = { type: 'string', pattern: '^\\d{8}$', description: 'yyyymmdd' };
const obj = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});
const nullable = (s: Record<string, unknown>) => ({ anyOf: [s, { type: 'null' }] });

const statementFile = obj({
  id: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  name: str,
  folder: str,
  kind: { enum: ['kiosk', 'media'] },
  size: int,
  modifiedAt: int,
});
const counts = obj({
  matched: int,
  missingAtKiosk: int,
  missingAtUnionpay: int,
  amountDiffers: int,
  differences: int,
});

export const STATEMENT_SCHEMAS: Record<string, Record<string, unknown>> = {
  StatementFile: statementFile,
  StatementList: obj({
    folders: { type: 'array', items: obj({ path: str, kind: { enum: ['kiosk', 'media'] } }) },
    statements: { type: 'array', items: ref('StatementFile') },
  }),
  ReconcileCounts: counts,
  StatementReconciliation: obj({
    statement: ref('StatementFile'),
    rows: int,
    from: date,
    to: date,
    total: yuan,
    counts: ref('ReconcileCounts'),
    offset: int,
    limit: int,
    differences: {
      type: 'array',
      items: obj({
        kind: { enum: ['missing-at-kiosk', 'missing-at-unionpay', 'amount-differs'] },
        date,
        terminal: nullable(str),
        serial: str,
        line: nullable(int),
        card: nullable({ type: 'string', description: 'masked: first 6 and last 4 digits' }),
        unionpay: nullable(yuan),
        kiosk: nullable(yuan),
        kioskStatus: nullable(str),
      }),
    },
  }),
  StatementExport: obj({ statement: ref('StatementFile'), file: str, counts: ref('ReconcileCounts') }),
  StatementPrint: obj({
    statement: ref('StatementFile'),
    counts: ref('ReconcileCounts'),
    printed: nullable(obj({ outcome: str, jobId: str })),
  }),
};

const ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'the statement id the listing gives (never a path)',
  schema: { type: 'string', pattern: '^[0-9a-f]{16}$' },
};
const op = (summary: string, status: string, response: string, parameters: unknown[] = []) => ({
  summary,
  security: OPERATOR,
  parameters,
  responses: { [status]: { description: 'OK', content: json(ref(response)) }, ...errors },
});

export const STATEMENT_PATHS: Record<string, Record<string, unknown>> = {
  '/api/reports/statements': {
    get: op(
      'UnionPay statements found in the statements folders and on removable media (信用卡对账, supervisor)',
      '200',
      'StatementList',
    ),
  },
  '/api/reports/statements/{id}/reconcile': {
    get: op(
      'A listed statement matched against the journal: counts per kind and a page of differences (supervisor; a bad file is refused naming its line)',
      '200',
      'StatementReconciliation',
      [
        ID,
        { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 200 },
        },
      ],
    ),
  },
  '/api/reports/statements/{id}/export': {
    post: op(
      'Writes the differences next to the statement as <name>.differences.csv (UTF-8 with BOM; supervisor)',
      '201',
      'StatementExport',
      [ID],
    ),
  },
  '/api/reports/statements/{id}/print': {
    post: op(
      'Prints the counts and the first differences through the print queue (supervisor)',
      '200',
      'StatementPrint',
      [ID],
    ),
  },
};
