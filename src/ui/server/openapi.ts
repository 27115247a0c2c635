import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { APPOINTMENT_PATHS, APPOINTMENT_SCHEMAS } from './openapi-appointments.ts';
import { ASSIST_PATHS, ASSIST_SCHEMAS } from './openapi-assist.ts';
import { COMPONENT_SCHEMAS } from './openapi-components.ts';
import { GUIDE_PATHS, GUIDE_SCHEMAS } from './openapi-guide.ts';
import { errors, idempotencyHeader, json, OPERATOR, OPTIONAL, ref, type Security } from './openapi-parts.ts';
import { powerCardPaths, powerCardSchemas } from './openapi-power-card.ts';
import { STATEMENT_PATHS, STATEMENT_SCHEMAS } from './openapi-statements.ts';
import { actionSchema, answerSchema, inputSchema, inquirySchema, type JsonSchema } from './service-view.ts';

export const API_VERSION = '1.0.0';

type Operation = Record<string, unknown>;
const ok = (name: string, description = 'OK') => ({ description, content: json(ref(name)) });

const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const DATE = { type: 'string', pattern: '^\\d{8}$' };
const HHMMSS = { type: 'string', pattern: '^\\d{6}$' };
const SERIAL = {
  name: 'serial',
  in: 'path',
  required: true,
  description: '流水号',
  schema: { type: 'string' },
};

const ORDER_ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'order id (business date + order number)',
  schema: { type: 'string', pattern: '^\\d{14}$' },
};
const OPERATOR_CODE = {
  name: 'code',
  in: 'path',
  required: true,
  description: '操作员代码',
  schema: { type: 'string' },
};
const IDEMPOTENCY = idempotencyHeader(
  'a repeat with the same key answers what the first created (200 instead of 201)',
);

/** Component name of a service's schema: `<service>.<part>` (letters, digits, '.', '-', '_'). */
export const schemaName = (serviceId: string, part: string): string => `${serviceId}.${part}`;

function get(
  summary: string,
  response: string,
  security: Security = OPERATOR,
  parameters: unknown[] = [],
): Operation {
  return { summary, security, parameters, responses: { '200': ok(response), ...errors } };
}

function post(
  summary: string,
  body: unknown,
  status: string,
  response: string,
  security: Security = OPTIONAL,
): Operation {
  return {
    summary,
    security,
    requestBody: { required: true, content: json(body) },
    responses: { [status]: ok(response), ...errors },
  };
}

/**
 * The OpenAPI 3.1 document of the local API, generated from the same service definitions the
 * routes use: every service's inquiry, quote and create have their own path with the request body
 * its zod schema gives (z.toJSONSchema, input side), and every action its body of confirm fields.
 */
export function buildOpenApi(
  services: readonly ServiceDefinition[],
  server: string,
): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = {
    ...COMPONENT_SCHEMAS,
    ...(STATEMENT_SCHEMAS as Record<string, JsonSchema>),
    ...(APPOINTMENT_SCHEMAS as Record<string, JsonSchema>),
    ...(GUIDE_SCHEMAS as Record<string, JsonSchema>),
    ...(ASSIST_SCHEMAS as Record<string, JsonSchema>),
    ...(powerCardSchemas(services) as Record<string, JsonSchema>),
  };
  const paths: Record<string, Record<string, Operation>> = {
    '/api/health': { get: get('Kiosk health', 'Health', OPTIONAL) },
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        security: OPTIONAL,
        responses: { '200': { description: 'OpenAPI 3.1' } },
      },
    },
    '/api/services': { get: get('Service catalogue with fields, fees and flows', 'ServiceList', OPTIONAL) },
    '/api/service-tiles': {
      get: get('What the customer’s first screen shows of each service (its tile)', 'ServiceTiles', OPTIONAL),
    },
    '/api/services/{id}': {
      get: get('One service of the catalogue', 'Service', OPTIONAL, [
        { name: 'id', in: 'path', required: true, description: 'service id', schema: { type: 'string' } },
      ]),
    },
    '/api/services/{id}/lists/{name}': {
      get: get(
        'Choices of a service’s list (places, travel dates), from HQ or the kiosk',
        'ChoiceList',
        OPTIONAL,
        [
          { name: 'id', in: 'path', required: true, description: 'service id', schema: { type: 'string' } },
          {
            name: 'name',
            in: 'path',
            required: true,
            description: 'list name (a field’s entry.list)',
            schema: { type: 'string' },
          },
        ],
      ),
    },
    '/api/session': {
      post: post('Operator login (lockout applies)', ref('Login'), '201', 'Session', [{}]),
      get: get('Current session', 'Session'),
      delete: {
        summary: 'Log out',
        security: OPERATOR,
        responses: { '204': { description: 'Logged out' }, ...errors },
      },
    },
    '/api/transactions': {
      get: get('List transactions, newest first', 'TransactionList', OPERATOR, [
        q('date', 'business date yyyymmdd', DATE),
        q('service', 'service id'),
        q('operator', 'operator code, or ~self'),
        q('open', 'only transactions not final yet', { type: 'boolean' }),
        q('limit', 'at most this many (1–1000)', { type: 'integer', minimum: 1, maximum: 1000 }),
      ]),
    },
    '/api/transactions/{serial}': { get: get('One transaction', 'Transaction', OPTIONAL, [SERIAL]) },
    '/api/transactions/{serial}/receipt': {
      get: get('Receipt data for a reprint (补打收据)', 'Receipt', OPERATOR, [SERIAL]),
    },
    '/api/transactions/{serial}/reprint': {
      post: {
        ...post(
          'Print the receipt again (补打收据) with the reprint mark; journaled',
          {},
          '200',
          'Reprint',
          OPERATOR,
        ),
        parameters: [SERIAL],
      },
    },
    '/api/pending': { get: get('Transactions not final yet, and today’s alerted ones', 'Pending') },
    '/api/balance': {
      get: get(
        'Prepaid balance and its views (续费明细, 交易明细, 余额变更, 调账, 退款通知)',
        'Balance',
        OPERATOR,
        [
          q('limit', 'entries per page (default 50)', {
            type: 'integer',
            minimum: 1,
            maximum: 500,
          }),
          q('after', 'the next cursor of the previous page', {
            type: 'string',
            pattern: '^[1-9][0-9]{0,14}$',
          }),
          q('group', 'topups | consumption | changes | reversalCredits | adjustments | refunds | holds'),
          q('from', 'first business date yyyymmdd: the range, oldest first, with its movement', DATE),
          q('to', 'last business date yyyymmdd (default today)', DATE),
          q('format', 'json (default) or csv (UTF-8 with BOM)'),
        ],
      ),
    },
    '/api/reports/settlement': {
      get: get(
        'Teller or station settlement of today, not recorded (柜员扎账 / 网点扎账)',
        'Settlement',
        OPERATOR,
        [
          q('scope', 'teller (default for a teller) or station (supervisor)'),
          q('operator', 'a teller’s code (supervisor; default: yourself)'),
          q('format', 'json (default) or csv (UTF-8 with BOM)'),
        ],
      ),
      post: post(
        'Make, record (journal, relayed to HQ with its digest) and print a settlement',
        obj({ scope: { type: 'string' }, operator: { type: 'string' }, print: { type: 'boolean' } }),
        '201',
        'RecordedSettlement',
        OPERATOR,
      ),
    },
    '/api/reports/settlements': {
      get: get('Settlements recorded on a business date (a teller: own only)', 'SettlementList', OPERATOR, [
        q('date', 'business date yyyymmdd; today when absent', DATE),
        q('scope', 'teller or station'),
        q('operator', 'a teller’s code (supervisor)'),
      ]),
    },
    '/api/reports/daily': {
      get: get(
        'Daily report (营业日报) of a date, or the historical report of a range',
        'DailyReport',
        OPERATOR,
        [
          q('date', 'one business date yyyymmdd (default today)', DATE),
          q('from', 'first business date of a range', DATE),
          q('to', 'last business date of a range (default today)', DATE),
          q('scope', 'teller or station'),
          q('operator', 'a teller’s code (supervisor)'),
          q('format', 'json (default) or csv (UTF-8 with BOM)'),
        ],
      ),
    },
    '/api/balance/print': {
      post: post(
        'Print one page of a balance view (and a range’s movement) through the print queue',
        obj({
          group: { type: 'string' },
          from: DATE,
          to: DATE,
          limit: { type: 'string' },
          after: { type: 'string' },
        }),
        '200',
        'Printed',
        OPERATOR,
      ),
    },
    '/api/reports/daily/print': {
      post: post(
        'Print a daily or historical report through the print queue',
        obj({ date: DATE, from: DATE, to: DATE, scope: { type: 'string' }, operator: { type: 'string' } }),
        '200',
        'Printed',
        OPERATOR,
      ),
    },
    '/api/reports/handover': {
      get: get('Cross-day settlements of a business date (supervisor)', 'HandoverList', OPERATOR, [
        q('date', 'business date yyyymmdd; today when absent', DATE),
      ]),
      post: post(
        'Record the cash handed in for a business date against its cash due (网点隔日扎账, supervisor)',
        obj({ date: DATE, handedIn: { type: 'string' }, note: { type: 'string' } }),
        '201',
        'Handover',
        OPERATOR,
      ),
    },
    '/api/reports/repayments': {
      get: get(
        'Credit-card repayments of a range of business dates, for reconciliation with the UnionPay statement (supervisor)',
        'RepaymentList',
        OPERATOR,
        [q('from', 'first business date yyyymmdd', DATE), q('to', 'last business date yyyymmdd', DATE)],
      ),
    },
    '/api/journal/today': {
      get: get('Same-day journal (本省当日流水)', 'DayJournal', OPERATOR, [
        q('service', 'business type'),
        q('from', 'window start hhmmss', HHMMSS),
        q('to', 'window end hhmmss (inclusive)', HHMMSS),
      ]),
    },
    '/api/journal/history': {
      get: get('History journal of a date (历史流水)', 'DayJournal', OPERATOR, [
        { ...q('date', 'business date yyyymmdd', DATE), required: true },
        q('service', 'business type'),
        q('from', 'window start hhmmss', HHMMSS),
        q('to', 'window end hhmmss (inclusive)', HHMMSS),
      ]),
    },
    '/api/journal/special': {
      get: get('Special journal (特殊流水)', 'SpecialJournal', OPERATOR, [
        q('date', 'business date yyyymmdd; today when absent', DATE),
      ]),
    },
    '/api/journal/game-errors': {
      get: get('Game top-up error query (充值差错查询)', 'GameErrors', OPERATOR, [
        q('date', 'business date yyyymmdd; today when absent', DATE),
      ]),
    },
    '/api/credit-card/terminal': {
      get: get(
        'Credit-card repayment terminal: HQ binding, status and today’s sign-in',
        'CardTerminal',
        OPTIONAL,
      ),
    },
    '/api/credit-card/sign-in': {
      post: {
        summary: 'Daily sign-in (签到) of the repayment terminal; 200 when already signed in today',
        security: OPERATOR,
        responses: { '201': ok('CardTerminal'), '200': ok('CardTerminal'), ...errors },
      },
    },
    '/api/credit-card/history': {
      get: get('Repayments between two business dates (end after start), from HQ', 'CardHistory', OPERATOR, [
        q('from', 'start business date yyyymmdd', DATE),
        q('to', 'end business date yyyymmdd, after the start', DATE),
      ]),
    },
    '/api/journal/verify': {
      get: get('Whole-store journal check (supervisor)', 'VerifyReport', OPERATOR),
    },
    '/api/card': {
      get: get(
        'The electricity card in the reader: present, serial, customer number, purchase counter, units (centi-kWh)',
        'Card',
        OPTIONAL,
      ),
    },
    '/api/devices': { get: get('Each device’s state, details and the actions it offers', 'DeviceList') },
    '/api/devices/printer/test-page': {
      post: post(
        'Print a test page straight to the printer (never queued); journaled before and after',
        {},
        '200',
        'TestPage',
        OPERATOR,
      ),
    },
    '/api/devices/{name}/reconnect': {
      post: {
        ...post(
          'Close the device and open it again now (printer, card-reader, led); journaled; refused (409) while a card session is open',
          {},
          '200',
          'DeviceAnswer',
          OPERATOR,
        ),
        parameters: [
          {
            name: 'name',
            in: 'path',
            required: true,
            description: 'the device',
            schema: { enum: ['printer', 'card-reader', 'led'] },
          },
        ],
      },
    },
    '/api/display': { get: get('The roof sign: showing, queued notices, health', 'Display', OPTIONAL) },
    '/api/display/preview.png': {
      get: {
        summary: 'The simulated sign as a PNG (development preview)',
        security: OPTIONAL,
        responses: {
          '200': { description: 'PNG', content: { 'image/png': { schema: { type: 'string' } } } },
          ...errors,
        },
      },
    },
    '/api/operators': {
      get: get('Operators and whether they are locked (supervisor)', 'OperatorList'),
      post: post(
        'Add an operator (supervisor)',
        obj({
          code: { type: 'string' },
          name: { type: 'string' },
          role: { enum: ['teller', 'supervisor'] },
          password: { type: 'string' },
        }),
        '201',
        'Operator',
        OPERATOR,
      ),
    },
    '/api/operators/{code}/password': {
      post: {
        ...post(
          'Reset a password (supervisor: { newPassword }) or change one’s own ({ currentPassword, newPassword })',
          obj({ newPassword: { type: 'string' }, currentPassword: { type: 'string' } }),
          '200',
          'PasswordChanged',
          OPERATOR,
        ),
        parameters: [OPERATOR_CODE],
      },
    },
    '/api/operators/{code}/unlock': {
      post: {
        ...post('Lift a lockout (supervisor)', {}, '200', 'Operator', OPERATOR),
        parameters: [OPERATOR_CODE],
      },
    },
    '/api/availability': {
      get: get(
        'Whether each service can be used now, and why not (customer’s words)',
        'AvailabilityList',
        OPTIONAL,
      ),
    },
    '/api/orders': {
      post: {
        ...post(
          'Place a self-service order (nothing is paid until the customer pays)',
          ref('OrderInput'),
          '201',
          'Order',
        ),
        parameters: [IDEMPOTENCY],
      },
      get: get('Orders of a business date, newest first', 'OrderList', OPERATOR, [
        q('status', 'comma-separated statuses, e.g. awaiting-payment'),
        q('date', 'business date (default today)', DATE),
      ]),
    },
    '/api/orders/{id}': { get: get('One order', 'Order', OPTIONAL, [ORDER_ID]) },
    '/api/orders/{id}/cash-received': {
      post: {
        ...post('The operator took the cash: the transaction starts', {}, '200', 'Order', OPERATOR),
        parameters: [ORDER_ID],
      },
    },
    '/api/orders/{id}/cancel': {
      post: { ...post('Cancel an unpaid order', {}, '200', 'Order'), parameters: [ORDER_ID] },
    },
    '/api/lookup/{ref}': {
      get: get(
        'Look up my payment: by serial (10 digits) or order id (14 digits), masked',
        'Lookup',
        OPTIONAL,
        [
          {
            name: 'ref',
            in: 'path',
            required: true,
            description: '流水号 or order id',
            schema: { type: 'string' },
          },
        ],
      ),
    },
    '/api/events': {
      get: {
        summary: 'Server-sent events: txn, order, alert, balance (operators); id = journal sequence',
        description:
          'With an operator token: every event (a teller only their own transactions’). Without one: only the transaction (`serial`) or order (`order`) that `follow` opens; otherwise 401.',
        security: OPTIONAL,
        parameters: [
          q('serial', 'only this transaction'),
          q('order', 'only this order (its own events and its transaction’s)'),
          q(
            'follow',
            'without an operator token: the token from the creation answer for this serial or order',
          ),
          q('since', 'replay events after this sequence number', { type: 'integer', minimum: 0 }),
          q('access_token', 'operator token (EventSource cannot send headers)'),
        ],
        responses: {
          '200': {
            description: 'event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
  };
  const actionBodies = new Map<string, JsonSchema[]>();
  for (const def of services) {
    const input = schemaName(def.id, 'input');
    schemas[input] = inputSchema(def);
    const base = `/api/services/${def.id}`;
    const inquiry = inquirySchema(def);
    const answer = answerSchema(def);
    if (inquiry && answer) {
      schemas[schemaName(def.id, 'inquiry')] = inquiry;
      schemas[schemaName(def.id, 'answer')] = answer;
      schemas[schemaName(def.id, 'inquiry-answer')] = {
        ...obj({ service: { const: def.id }, answer: ref(schemaName(def.id, 'answer')) }),
        required: ['service', 'answer'],
      };
      paths[`${base}/inquiry`] = {
        post: post(
          `${def.title.zh} ${def.title.en}: inquiry`,
          ref(schemaName(def.id, 'inquiry')),
          '200',
          schemaName(def.id, 'inquiry-answer'),
        ),
      };
    }
    paths[`${base}/quote`] = {
      post: post(`${def.title.zh} ${def.title.en}: amount, fee and total`, ref(input), '200', 'Quote'),
    };
    paths[`${base}/transactions`] = {
      post: {
        ...post(`${def.title.zh} ${def.title.en}: create and start`, ref(input), '201', 'Transaction'),
        parameters: [IDEMPOTENCY],
      },
    };
    for (const name of Object.keys(def.actions ?? {})) {
      const s = schemaName(def.id, `action-${name}`);
      schemas[s] = actionSchema(def, name);
      actionBodies.set(name, [...(actionBodies.get(name) ?? []), ref(s)]);
    }
  }
  Object.assign(
    paths,
    STATEMENT_PATHS,
    APPOINTMENT_PATHS,
    GUIDE_PATHS,
    ASSIST_PATHS,
    powerCardPaths(services),
  );
  for (const [name, bodies] of actionBodies) {
    paths[`/api/transactions/{serial}/actions/${name}`] = {
      post: {
        ...post(
          `Action ${name} (fields of the original transaction, entered again)`,
          { anyOf: bodies },
          '200',
          'Transaction',
          OPERATOR,
        ),
        parameters: [SERIAL],
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'newsstand-kiosk local API · 便民服务亭本地接口',
      version: API_VERSION,
      description:
        'Bound to the loopback interface. Requests without a token act as self-service; operators log in at /api/session. Every answer masks phone, account and card numbers.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: server.replace(/\/$/, '') }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        operator: { type: 'http', scheme: 'bearer', description: 'token from POST /api/session' },
      },
    },
  };
}
