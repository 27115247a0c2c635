import type { JsonSchema } from './service-view.ts';

/**
 * Shared response schemas of the local API (JSON Schema 2020-12, as OpenAPI 3.1 uses). They
 * describe what the routes return; the tests validate real answers against them.
 */
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const yuan = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', description: 'yuan with 2 decimals' };
const date = { type: 'string', pattern: '^\\d{8}$', description: 'yyyymmdd' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
});
const nullable = (s: Record<string, unknown>) => ({ anyOf: [s, { type: 'null' }] });

const tally = obj({ count: int, amount: yuan, fee: yuan, total: yuan });
const totals = obj({ succeeded: tally, failed: tally, reversed: tally, open: tally });

export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  Bilingual: obj({ zh: str, en: str }),
  Error: {
    ...obj(
      {
        code: { type: 'string', pattern: '^KIOSK_E_[A-Z_]+$' },
        field: str,
        zh: str,
        en: str,
        message: str,
        details: { type: 'object' },
        issues: { type: 'array', items: ref('Error') },
      },
      ['code', 'zh', 'en', 'message'],
    ),
  },
  TxnStatus: obj(
    {
      phase: { enum: ['final', 'sending', 'waiting', 'working'] },
      zh: str,
      en: str,
      nextAttemptAt: int,
      attempts: int,
      alerts: { type: 'array', items: obj({ name: str, zh: str, en: str }) },
    },
    ['phase', 'zh', 'en', 'attempts', 'alerts'],
  ),
  Transaction: obj({
    serial: str,
    service: str,
    serviceName: ref('Bilingual'),
    businessDate: date,
    time: { type: 'string', pattern: '^\\d{6}$', description: 'hhmmss, Asia/Shanghai' },
    createdAt: int,
    updatedAt: int,
    channel: { enum: ['operator', 'self'] },
    operator: nullable(str),
    state: str,
    stateLabel: ref('Bilingual'),
    terminal: bool,
    result: { enum: ['succeeded', 'failed', 'reversed', null] },
    amount: yuan,
    fee: yuan,
    total: yuan,
    fields: { type: 'object', description: 'the input fields, sensitive ones masked' },
    data: { type: 'object', description: 'facts gathered along the way (biller answers), masked' },
    alerts: { type: 'array', items: str },
    reason: nullable(obj({ code: str, zh: str, en: str })),
    status: ref('TxnStatus'),
  }),
  TransactionList: obj({ items: { type: 'array', items: ref('Transaction') } }),
  Quote: obj(
    {
      service: str,
      serviceName: ref('Bilingual'),
      fields: { type: 'object' },
      amount: yuan,
      fee: yuan,
      total: yuan,
      balanceSufficient: bool,
    },
    ['service', 'serviceName', 'fields', 'amount', 'fee', 'total'],
  ),
  InquiryAnswer: obj({ service: str, answer: { type: 'object' } }),
  Service: obj({
    id: str,
    title: ref('Bilingual'),
    enabled: bool,
    selfService: bool,
    selfServiceCap: nullable(yuan),
    fee: yuan,
    funding: { enum: ['hold', 'none'] },
    fields: {
      type: 'array',
      items: obj({
        name: str,
        zh: str,
        en: str,
        required: bool,
        sensitive: { enum: ['phone', 'account', 'card', null] },
      }),
    },
    schema: { type: 'object' },
    inquiry: nullable(obj({ fields: { type: 'array', items: str }, schema: { type: 'object' } })),
    actions: {
      type: 'array',
      items: obj({
        name: str,
        role: { enum: ['teller', 'supervisor'] },
        confirmFields: { type: 'array', items: str },
        schema: { type: 'object' },
      }),
    },
    states: {
      type: 'array',
      items: obj({
        name: str,
        label: ref('Bilingual'),
        kind: { enum: ['final', 'step', 'polling'] },
        result: nullable(str),
      }),
    },
  }),
  ServiceList: obj({ services: { type: 'array', items: ref('Service') } }),
  Login: {
    ...obj({ code: { type: 'string', description: '4 letters or digits' }, password: str }),
    additionalProperties: false,
  },
  Session: obj(
    {
      token: str,
      operator: obj({ code: str, name: str, role: { enum: ['teller', 'supervisor'] } }),
      expiresAt: int,
    },
    ['operator', 'expiresAt'],
  ),
  LedgerRow: obj({
    seq: int,
    at: int,
    kind: str,
    kindLabel: ref('Bilingual'),
    group: { enum: ['topups', 'consumption', 'reversalCredits', 'adjustments', 'refunds', 'holds'] },
    delta: yuan,
    heldDelta: yuan,
    balanceAfter: yuan,
    heldAfter: yuan,
    serial: nullable(str),
    ref: nullable(str),
    note: nullable(str),
  }),
  Balance: obj({
    balance: yuan,
    held: yuan,
    available: yuan,
    lowWarning: yuan,
    low: bool,
    openHolds: int,
    entries: { type: 'array', items: ref('LedgerRow') },
    totals: { type: 'object', additionalProperties: obj({ count: int, delta: yuan }) },
  }),
  Pending: obj({
    businessDate: date,
    items: { type: 'array', items: ref('Transaction') },
    alerted: { type: 'array', items: ref('Transaction') },
    counts: obj({ open: int, alerts: int, unresolvedPastDay: int }),
  }),
  DayJournal: obj({
    date,
    service: nullable(str),
    window: nullable(obj({ from: str, to: str })),
    rows: { type: 'array', items: ref('Transaction') },
    byService: {
      type: 'array',
      items: obj({ service: str, serviceName: ref('Bilingual'), ...totals.properties }),
    },
    totals,
  }),
  SpecialJournal: obj({
    date,
    rows: {
      type: 'array',
      items: {
        allOf: [ref('Transaction')],
        properties: {
          kinds: {
            type: 'array',
            items: {
              enum: ['reversed', 'reversal-open', 'reversal-refused', 'failed', 'alert', 'unresolved'],
            },
          },
        },
        required: ['kinds'],
      },
    },
    counts: { type: 'object', additionalProperties: int },
  }),
  GameErrors: obj({
    date,
    service: str,
    rows: { type: 'array', items: ref('Transaction') },
    byState: { type: 'object', additionalProperties: int },
    total: int,
  }),
  Receipt: {
    ...obj(
      {
        title: ref('Bilingual'),
        stationId: str,
        stationName: str,
        serial: str,
        businessDate: date,
        time: int,
        operator: nullable(str),
        serviceName: str,
        lines: { type: 'array', items: obj({ label: str, value: str }) },
        amount: yuan,
        fee: yuan,
        total: yuan,
        reprint: bool,
        reprintedAt: int,
        footer: { type: 'array', items: str },
      },
      [
        'title',
        'stationId',
        'stationName',
        'serial',
        'businessDate',
        'time',
        'operator',
        'serviceName',
        'lines',
        'amount',
        'fee',
        'total',
        'reprint',
      ],
    ),
  },
  Health: obj(
    {
      stationId: str,
      stationName: str,
      businessDate: date,
      safeMode: nullable(ref('Bilingual')),
      problems: { type: 'array' },
      balance: { type: 'object' },
      openTransactions: int,
      services: obj({ enabled: int, known: int }),
      uptimeMs: int,
      eventStreams: int,
    },
    ['stationId', 'stationName', 'businessDate', 'safeMode', 'openTransactions', 'uptimeMs'],
  ),
  VerifyReport: obj({
    ok: bool,
    counts: obj({ events: int, transactions: int, ledgerEntries: int, indexEntries: int, outbox: int }),
    problems: { type: 'array', items: obj({ key: str, kind: str, message: str }) },
  }),
  Display: obj({
    showing: nullable(obj({ id: str, kind: str, text: str, priority: str })),
    brightness: nullable({ type: 'number' }),
    notices: { type: 'array', items: obj({ id: str, text: str, priority: str }) },
    health: { type: 'object' },
    preview: nullable(str),
  }),
};
