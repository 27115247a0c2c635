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
/** Adds properties a schema may carry but does not require. */
const withOptional = (schema: ReturnType<typeof obj>, extra: Record<string, unknown>) => ({
  ...schema,
  properties: { ...schema.properties, ...extra },
});
const follow = {
  follow: {
    type: 'string',
    description:
      'only in the answer to a creation without an operator token: opens /api/events for this one transaction or order',
  },
};

const tally = obj({ count: int, amount: yuan, fee: yuan, total: yuan });
const totals = obj({ succeeded: tally, failed: tally, reversed: tally, open: tally });

export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  Bilingual: obj({ zh: str, en: str }),
  ServiceLines: {
    type: 'array',
    description: 'what the customer got (the receipt lines of the service), once it succeeded',
    items: withOptional(obj({ zh: str, en: str, value: str }), { lead: bool }),
  },
  StateLabel: obj(
    {
      zh: str,
      en: str,
      customer: {
        ...obj({ zh: str, en: str, mayLeave: bool }, ['zh', 'en']),
        description: 'what the customer at the screen is told in this state; `mayLeave`: their part is done',
      },
    },
    ['zh', 'en'],
  ),
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
  Transaction: withOptional(
    obj({
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
      stateLabel: ref('StateLabel'),
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
      details: ref('ServiceLines'),
    }),
    follow,
  ),
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
  Service: obj({
    availability: ref('Availability'),
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
        fromCard: {
          ...bool,
          description: 'filled from the card in the reader when the body sends `cardToken`',
        },
        entry: nullable(
          obj(
            {
              keypad: { enum: ['digits', 'amount', 'alnum', 'choice', 'confirm'] },
              maxLength: int,
              quick: { type: 'array', items: str },
              list: str,
              answer: str,
              fills: { type: 'array', items: str },
            },
            ['keypad'],
          ),
        ),
      }),
    },
    schema: { type: 'object' },
    inquiry: nullable(
      obj({ fields: { type: 'array', items: str }, schema: { type: 'object' }, answer: { type: 'object' } }),
    ),
    actions: {
      type: 'array',
      items: obj({
        name: str,
        title: obj({ zh: str, en: str }),
        from: { type: 'array', items: str },
        role: { enum: ['teller', 'supervisor'] },
        confirmFields: { type: 'array', items: str },
        schema: { type: 'object' },
      }),
    },
    states: {
      type: 'array',
      items: obj({
        name: str,
        label: ref('StateLabel'),
        kind: { enum: ['final', 'step', 'polling'] },
        result: nullable(str),
      }),
    },
  }),
  Availability: obj({
    available: bool,
    code: {
      enum: [
        'safe-mode',
        'disabled',
        'not-self-service',
        'closed',
        'hq-offline',
        'device',
        'not-ready',
        'suspended',
        null,
      ],
    },
    reason: nullable(ref('Bilingual')),
  }),
  ServiceAvailability: obj({
    service: str,
    available: bool,
    code: { anyOf: [str, { type: 'null' }] },
    reason: nullable(ref('Bilingual')),
  }),
  AvailabilityList: obj({
    tenders: { type: 'array', items: { enum: ['counter', 'qr'] } },
    services: { type: 'array', items: ref('ServiceAvailability') },
  }),
  ChoiceList: obj({
    service: str,
    list: str,
    items: {
      type: 'array',
      items: obj({ value: str, zh: str, en: str, group: str }, ['value', 'zh']),
    },
  }),
  ServiceTiles: obj({
    tenders: { type: 'array', items: { enum: ['counter', 'qr'] } },
    services: {
      type: 'array',
      items: {
        ...obj({
          id: str,
          title: ref('Bilingual'),
          enabled: bool,
          selfService: bool,
          availability: ref('Availability'),
        }),
        additionalProperties: false,
      },
    },
  }),
  ServiceList: obj({
    tenders: { type: 'array', items: { enum: ['counter', 'qr'] } },
    services: { type: 'array', items: ref('Service') },
  }),
  OrderInput: {
    ...obj(
      {
        service: str,
        fields: { type: 'object', description: 'the service’s input fields (its create schema)' },
        tender: { enum: ['counter', 'qr'], description: 'default: the station’s first tender' },
        idempotencyKey: { type: 'string', pattern: '^[\\w-]{8,64}$' },
      },
      ['service', 'fields'],
    ),
    additionalProperties: false,
  },
  Order: withOptional(
    obj({
      id: { type: 'string', pattern: '^\\d{14}$', description: 'business date + order number' },
      number: { type: 'string', pattern: '^\\d{6}$', description: 'unique per business day' },
      businessDate: date,
      service: str,
      serviceName: ref('Bilingual'),
      tender: { enum: ['counter', 'qr'] },
      status: {
        enum: [
          'awaiting-payment',
          'paid',
          'processing',
          'pending',
          'succeeded',
          'failed',
          'expired',
          'cancelled',
          'refunding',
          'refunded',
        ],
      },
      statusLabel: ref('Bilingual'),
      message: ref('Bilingual'),
      final: bool,
      fields: { type: 'object' },
      amount: yuan,
      fee: yuan,
      total: yuan,
      createdAt: int,
      updatedAt: int,
      expiresAt: int,
      serial: nullable(str),
      cashier: nullable(str),
      qr: nullable(obj({ paymentId: str, payload: str, expiresAt: int, paidAt: nullable(int) })),
      reason: nullable(obj({ code: str, zh: str, en: str })),
      refund: nullable(obj({ at: int, ref: nullable(str) })),
      transaction: nullable(
        obj({
          serial: str,
          state: str,
          stateLabel: ref('StateLabel'),
          terminal: bool,
          result: nullable(str),
          details: ref('ServiceLines'),
        }),
      ),
    }),
    follow,
  ),
  Operator: {
    type: 'object',
    properties: { code: str, name: str, role: { enum: ['teller', 'supervisor'] } },
    required: ['code', 'name', 'role'],
  },
  OperatorList: obj({ items: { type: 'array', items: ref('Operator') } }),
  PasswordChanged: obj({ code: str, changed: bool }),
  Reprint: obj({
    serial: str,
    outcome: { type: 'string', description: 'printed, or queued for reprint (no paper, no printer)' },
    at: int,
  }),
  OrderList: obj({ items: { type: 'array', items: ref('Order') } }),
  Lookup: obj({
    order: nullable(ref('Order')),
    transaction: nullable(
      obj({
        serial: str,
        service: str,
        serviceName: ref('Bilingual'),
        businessDate: date,
        time: str,
        state: str,
        stateLabel: ref('StateLabel'),
        terminal: bool,
        result: nullable(str),
        amount: yuan,
        fee: yuan,
        total: yuan,
        fields: { type: 'object' },
        status: obj({ phase: str, zh: str, en: str }),
        details: ref('ServiceLines'),
        final: bool,
      }),
    ),
  }),
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
    count: nullable(int),
    limit: int,
    next: nullable(str),
    from: nullable(date),
    to: nullable(date),
    group: nullable(str),
    movement: nullable(ref('LedgerMovement')),
  }),
  RepaymentList: obj({
    station: str,
    terminal: nullable(str),
    from: date,
    to: date,
    repayments: {
      type: 'array',
      items: obj({
        station: str,
        terminal: nullable(str),
        serial: str,
        day: date,
        amountFen: int,
        status: str,
        ref: str,
      }),
    },
  }),
  LedgerMovement: obj({
    opening: yuan,
    topups: yuan,
    topupReversals: yuan,
    consumption: yuan,
    reversalCredits: yuan,
    adjustments: yuan,
    refunds: yuan,
    closing: yuan,
    entries: int,
  }),
  SettlementRow: obj({
    service: str,
    serviceName: ref('Bilingual'),
    payments: tally,
    reversals: tally,
    net: tally,
    cash: tally,
    qr: tally,
    open: tally,
  }),
  Settlement: obj({
    kind: { enum: ['teller', 'station'] },
    operator: nullable(str),
    businessDate: str,
    at: int,
    rows: { type: 'array', items: ref('SettlementRow') },
    totals: obj({ payments: tally, reversals: tally, net: tally, cash: tally, qr: tally, open: tally }),
    cashDue: yuan,
    qrNet: yuan,
    prepaidNet: yuan,
  }),
  SettlementRecord: obj(
    {
      kind: { const: 'settlement' },
      id: int,
      scope: { enum: ['teller', 'station'] },
      operator: nullable(str),
      by: str,
      businessDate: date,
      at: int,
      throughSeq: int,
      digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      transactions: int,
      cashDueFen: int,
      qrNetFen: int,
      prepaidNetFen: int,
      hq: obj({ match: bool, digest: str, at: int }),
    },
    ['kind', 'id', 'scope', 'operator', 'by', 'businessDate', 'at', 'throughSeq', 'digest', 'transactions'],
  ),
  RecordedSettlement: {
    allOf: [
      ref('Settlement'),
      obj({ record: ref('SettlementRecord'), printed: nullable(obj({ outcome: str, jobId: str })) }),
    ],
  },
  SettlementList: obj({ businessDate: date, settlements: { type: 'array', items: ref('SettlementRecord') } }),
  DailyReport: obj({
    kind: { enum: ['teller', 'station'] },
    operator: nullable(str),
    from: date,
    to: date,
    at: int,
    days: {
      type: 'array',
      items: obj({
        businessDate: date,
        transactions: int,
        failed: tally,
        settlement: ref('Settlement'),
        ledger: nullable(ref('LedgerMovement')),
      }),
    },
    summary: ref('Settlement'),
    failed: tally,
    ledger: nullable(ref('LedgerMovement')),
  }),
  Printed: obj({ printed: nullable(obj({ outcome: str, jobId: str })) }),
  Handover: obj({
    kind: { const: 'cash-handover' },
    id: int,
    businessDate: date,
    at: int,
    by: str,
    cashDueFen: int,
    handedInFen: int,
    differenceFen: int,
    note: nullable(str),
  }),
  HandoverList: obj({ businessDate: date, handovers: { type: 'array', items: ref('Handover') } }),
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
  CardTerminal: obj(
    {
      terminalNo: nullable(str),
      status: { enum: ['enabled', 'disabled', 'unbound'] },
      reason: nullable(str),
      date,
      signedIn: bool,
      signedInAt: nullable(int),
      already: bool,
    },
    ['terminalNo', 'status', 'reason', 'date', 'signedIn', 'signedInAt'],
  ),
  CardHistory: obj({
    from: date,
    to: date,
    items: {
      type: 'array',
      items: obj({ serial: str, date: str, amount: yuan, status: str, ref: str }),
    },
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
      balance: { type: 'object', description: 'operators only' },
      lowBalance: {
        description:
          'operators only: the last low-balance crossing recorded (low, since, available, lowWarning)',
        anyOf: [obj({ low: bool, since: int, available: yuan, lowWarning: yuan }), { type: 'null' }],
      },
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
  Card: {
    type: 'object',
    required: ['present', 'card'],
    properties: {
      present: { type: 'boolean' },
      cardToken: {
        ...str,
        description:
          'names this read in a power-card inquiry, quote, order, transaction or action (`cardToken` instead of `cardSerial`/`customerNo`); the kiosk reads the numbers from the card again; valid 10 minutes, for the client that read it',
      },
      card: nullable(
        obj({
          cardSerial: { ...str, description: 'masked (first 6, last 4)' },
          customerNo: { ...str, description: 'masked (last 4)' },
          purchaseCounter: { type: 'integer' },
          pendingUnits: { type: 'integer' },
          totalUnits: { type: 'integer' },
        }),
      ),
    },
  },
  Device: obj({
    name: { enum: ['printer', 'card-reader', 'led', 'gpio'] },
    title: ref('Bilingual'),
    driver: str,
    state: { enum: ['ok', 'degraded', 'offline'] },
    reason: nullable(obj({ code: str, zh: str, en: str })),
    since: int,
    detail: {
      type: 'object',
      description:
        'printer: paper, cover, paperWidth, needsReprint; card-reader: reader, cardPresent; led: showing, brightness',
    },
    actions: { type: 'array', items: obj({ name: { enum: ['test-page', 'reconnect'] }, zh: str, en: str }) },
  }),
  DeviceList: obj({ items: { type: 'array', items: ref('Device') } }),
  DeviceAnswer: obj({ device: ref('Device') }),
  TestPage: obj({
    outcome: { enum: ['printed', 'failed'] },
    reason: nullable(obj({ code: str, zh: str, en: str })),
    device: ref('Device'),
  }),
  Display: obj({
    showing: nullable(obj({ id: str, kind: str, text: str, priority: str })),
    brightness: nullable({ type: 'number' }),
    notices: { type: 'array', items: obj({ id: str, text: str, priority: str }) },
    health: { type: 'object' },
    preview: nullable(str),
  }),
};
