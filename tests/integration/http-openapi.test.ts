import * as ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bookInputSchema } from '../../src/assist/appointment-book.ts';
import { appointmentSchema } from '../../src/core/assist/appointments.ts';
import { monthlyStatsSchema, statsRequestSchema } from '../../src/core/assist/monthly-stats.ts';
import {
  registerInputSchema,
  requestUpdateBodySchema,
  requestViewSchema,
} from '../../src/core/assist/request.ts';
import { POWER_CARD_OPS } from '../../src/core/services/power-card.ts';
import { pickFields } from '../../src/core/transaction/validate-input.ts';
import { readDemoGuide } from '../../src/reference-hq/demo-guide.ts';
import { cardFollowUpSchema } from '../../src/reports/card-follow-ups.ts';
import { SERVICES, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

// ajv comes with fastify; its CommonJS default export is the 2020-12 validator class.
const Ajv2020 = ajv2020.Ajv2020;

// biome-ignore lint/suspicious/noExplicitAny: the document is walked generically
type Doc = Record<string, any>;

/** Resolves a local JSON pointer (#/a/b) in the document. */
function resolve(doc: Doc, ref: string): unknown {
  expect(ref.startsWith('#/'), ref).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  return out;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

/**
 * /api routes served but not published yet, as the server names them. The list may only shrink:
 * the test fails for any other route left out, and for an entry here that is published after all.
 */
const UNPUBLISHED = new Set<string>([]);

/** Whether a route (`METHOD /a/:p/b`) has an operation in the document: a `:param` segment is a
 * `{param}` there or, for routes made per service or action, each concrete value. */
function published(doc: Doc, route: string): boolean {
  const [method, path] = route.split(' ') as [string, string];
  const segs = path.split('/');
  return Object.entries<Doc>(doc.paths).some(([p, item]) => {
    if (!item[method.toLowerCase()]) return false;
    const ds = p.split('/');
    return (
      ds.length === segs.length &&
      segs.every((s, i) => (s.startsWith(':') ? ds[i]!.length > 0 : s === ds[i])) &&
      ds.every((d, i) => !/^\{\w+\}$/.test(d) || segs[i]!.startsWith(':'))
    );
  });
}

describe('OpenAPI 3.1 document at /api/openapi.json', () => {
  let k: TestKiosk;
  let doc: Doc;
  let teller: string;
  let ajv: InstanceType<typeof Ajv2020>;

  /** Validates an answer against the schema the document gives for that path, method and status. */
  const conforms = (path: string, method: string, status: string, body: unknown): void => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path} documented`).toBeDefined();
    const schema = op.responses[status]?.content?.['application/json']?.schema;
    expect(schema, `${method} ${path} ${status} has a schema`).toBeDefined();
    const validate = ajv.compile({ $ref: `kiosk-openapi${schema.$ref}` });
    const ok = validate(body);
    expect(validate.errors ?? [], `${method} ${path}`).toEqual([]);
    expect(ok).toBe(true);
  };

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
    const r = await k.api('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'kiosk-openapi', components: doc.components });
  });
  afterAll(async () => {
    await k.stop();
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({
      title: expect.any(String),
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(doc.servers).toEqual([{ url: k.url.replace(/\/$/, '') }]);
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of Object.keys(item)) {
        expect(METHODS, `${path} ${method}`).toContain(method);
        const op = item[method];
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => /^2\d\d$/.test(s)),
          `${method} ${path} has a success answer`,
        ).toBe(true);
        for (const [status, res] of Object.entries<Doc>(op.responses)) {
          expect(typeof res.description, `${method} ${path} ${status}`).toBe('string');
        }
        for (const name of templated) {
          expect(op.parameters, `${method} ${path}`).toContainEqual(
            expect.objectContaining({ name, in: 'path', required: true }),
          );
        }
        for (const p of op.parameters ?? []) expect(['query', 'path', 'header']).toContain(p.in);
        for (const req of op.security ?? [])
          for (const name of Object.keys(req)) expect(schemes).toContain(name);
      }
    }
    for (const ref of refsIn(doc)) expect(resolve(doc, ref), ref).toBeDefined();
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const { $schema: _dialect, ...body } = schema as Record<string, unknown>;
      expect(ajv.validateSchema(body), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
      expect(() => ajv.compile({ $ref: `kiosk-openapi#/components/schemas/${name}` })).not.toThrow();
    }
  });

  it('publishes every /api route the server serves', () => {
    const api = k.app.httpRoutes.filter((r) => r.split(' ')[1]!.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(40);
    expect(api.filter((r) => !published(doc, r) && !UNPUBLISHED.has(r))).toEqual([]);
    for (const r of UNPUBLISHED) {
      expect(api, r).toContain(r);
      expect(published(doc, r), `${r} is published: take it off the list`).toBe(false);
    }
    // Not vacuous: a route the document lacks is found.
    expect(published(doc, 'POST /api/appointments/:id/forget')).toBe(false);
    expect(published(doc, 'POST /api/appointments/:id/cancel')).toBe(true);
  });

  it('documents the guide and appointments with the zod schemas the kiosk reads, books and stores them by, and its answers conform', async () => {
    const body = doc.paths['/api/appointments'].post.requestBody.content['application/json'].schema;
    expect(resolve(doc, body.$ref)).toEqual(z.toJSONSchema(bookInputSchema, { io: 'input' }));
    expect(resolve(doc, '#/components/schemas/Appointment')).toEqual(
      z.toJSONSchema(appointmentSchema, { io: 'output' }),
    );
    await k.app.assist.applyGuide(await readDemoGuide());
    const book = (phone: string, key: string) =>
      k.api('POST', '/api/appointments', {
        body: { matter: 'marriage-registration', date: '20261201', from: '14:00', phone },
        headers: { 'idempotency-key': key },
      });
    const guide = await k.api('GET', '/api/guide');
    conforms('/api/guide', 'get', '200', guide.body);
    conforms('/api/guide/{id}', 'get', '200', (await k.api('GET', '/api/guide/marriage-registration')).body);
    const slots = await k.api('GET', '/api/guide/marriage-registration/slots');
    expect(slots.body.days.length).toBeGreaterThan(0);
    conforms('/api/guide/{id}/slots', 'get', '200', slots.body);
    const sheet = await k.api('POST', '/api/guide/marriage-registration/print', { body: {} });
    conforms('/api/guide/{id}/print', 'post', '200', sheet.body);
    const first = await book('13911112222', 'openapi-book-1');
    expect(first.status, first.text).toBe(201);
    conforms('/api/appointments', 'post', '201', first.body);
    const again = await book('13911112222', 'openapi-book-1');
    expect(again.status).toBe(200);
    conforms('/api/appointments', 'post', '200', again.body);
    const second = await book('13911113333', 'openapi-book-2');
    const list = await k.api('GET', '/api/appointments?date=20261201', { token: teller });
    expect(list.body.items).toHaveLength(2);
    conforms('/api/appointments', 'get', '200', list.body);
    const cancelled = await k.api('POST', `/api/appointments/${first.body.id}/cancel`, {
      body: {},
      token: teller,
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', unchanged: false });
    conforms('/api/appointments/{id}/cancel', 'post', '200', cancelled.body);
    const served = await k.api('POST', `/api/appointments/${second.body.id}/serve`, {
      body: {},
      token: teller,
    });
    expect(served.body).toMatchObject({ status: 'served', closedBy: 'A001' });
    conforms('/api/appointments/{id}/serve', 'post', '200', served.body);
    // Not vacuous: an appointment without its state does not conform.
    const { status: _s, ...partial } = served.body;
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/AppointmentClosed' }, partial)).toBe(
      false,
    );
  });

  it('documents the card purchases left unconfirmed with the schemas the kiosk lists and checks HQ’s list by, and its answer conforms', async () => {
    expect(resolve(doc, '#/components/schemas/CardFollowUp')).toEqual(
      z.toJSONSchema(cardFollowUpSchema, { io: 'output' }),
    );
    const hqList = k.app.services.get('power-card').operatorQueries?.[POWER_CARD_OPS.unconfirmed];
    expect(hqList).toBeDefined();
    expect(resolve(doc, '#/components/schemas/power-card.query-unconfirmed')).toEqual(
      z.toJSONSchema(hqList!, { io: 'output' }),
    );
    const r = await k.api('GET', '/api/card/unconfirmed', { token: teller });
    expect(r.status, r.text).toBe(200);
    conforms('/api/card/unconfirmed', 'get', '200', r.body);
    // This kiosk has no HQ to ask: its own list, and why HQ's is missing.
    expect(r.body).toMatchObject({ items: [], hq: null, hqError: { code: expect.any(String) } });
    // With HQ's list, as the service's schema lets it through, the answer conforms too.
    const withHq = {
      items: [],
      hq: {
        items: [
          {
            kind: 'purchase',
            ref: 'R1',
            serial: 'S1',
            customerNo: '3301****23',
            amountFen: 5000,
            day: '20261201',
          },
        ],
      },
      hqError: null,
    };
    expect(hqList!.safeParse(withHq.hq).success).toBe(true);
    conforms('/api/card/unconfirmed', 'get', '200', withHq);
    // Not vacuous: a list without HQ's part does not conform.
    const { hq: _hq, ...partial } = r.body;
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/CardUnconfirmed' }, partial)).toBe(false);
  });

  it('documents assisted requests and their monthly statistics with the zod schemas the kiosk parses, stores and counts them by, and its answers conform', async () => {
    const bodyOf = (path: string) =>
      resolve(doc, doc.paths[path].post.requestBody.content['application/json'].schema.$ref);
    expect(bodyOf('/api/assist/requests')).toEqual(z.toJSONSchema(registerInputSchema, { io: 'input' }));
    expect(bodyOf('/api/assist/requests/{id}/update')).toEqual(
      z.toJSONSchema(requestUpdateBodySchema, { io: 'input' }),
    );
    expect(bodyOf('/api/assist/stats/send')).toEqual(z.toJSONSchema(statsRequestSchema, { io: 'input' }));
    expect(resolve(doc, '#/components/schemas/AssistRequest')).toEqual(
      z.toJSONSchema(requestViewSchema, { io: 'output' }),
    );
    expect(resolve(doc, '#/components/schemas/AssistStats')).toEqual(
      z.toJSONSchema(monthlyStatsSchema, { io: 'output' }),
    );
    if (!k.app.assist.guide) await k.app.assist.applyGuide(await readDemoGuide());
    const register = (body: Record<string, unknown>, key: string, token?: string) =>
      k.api('POST', '/api/assist/requests', {
        body,
        headers: { 'idempotency-key': key },
        ...(token ? { token } : {}),
      });
    const self = { matter: 'utility-repair', phone: '13912345678', details: '路灯不亮', consent: true };
    const first = await register(self, 'openapi-assist-1');
    expect(first.status, first.text).toBe(201);
    conforms('/api/assist/requests', 'post', '201', first.body);
    const again = await register(self, 'openapi-assist-1');
    expect(again.status).toBe(200);
    conforms('/api/assist/requests', 'post', '200', again.body);
    const proxy = await register(
      {
        matter: 'id-card',
        name: '张三',
        idNumber: '33010219900101123X',
        phone: '13912345678',
        consent: true,
      },
      'openapi-assist-2',
      teller,
    );
    expect(proxy.status, proxy.text).toBe(201);
    const id = proxy.body.id as string;
    const list = await k.api('GET', '/api/assist/requests?open=1', { token: teller });
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);
    conforms('/api/assist/requests', 'get', '200', list.body);
    const full = await k.api('GET', `/api/assist/requests/${id}`, { token: teller });
    expect(full.body.citizen.phone).toBe('13912345678');
    conforms('/api/assist/requests/{id}', 'get', '200', full.body);
    const move = (body: Record<string, unknown>) =>
      k.api('POST', `/api/assist/requests/${id}/update`, { token: teller, body });
    const verified = await move({ to: 'verified', note: '材料齐全' });
    expect(verified.body).toMatchObject({ state: 'verified', unchanged: false });
    conforms('/api/assist/requests/{id}/update', 'post', '200', verified.body);
    const refused = await move({ to: 'refused', reason: { zh: '材料不符', en: 'wrong papers' } });
    expect(refused.body).toMatchObject({ state: 'refused', refusal: { en: 'wrong papers' } });
    conforms('/api/assist/requests/{id}/update', 'post', '200', refused.body);
    const reprint = await k.api('POST', `/api/assist/requests/${id}/reprint`, { body: {}, token: teller });
    expect(reprint.status, reprint.text).toBe(200);
    conforms('/api/assist/requests/{id}/reprint', 'post', '200', reprint.body);
    const month = (await k.api('GET', '/api/assist/stats', { token: teller })).body.month as string;
    const stats = await k.api('GET', `/api/assist/stats?month=${month}`, { token: teller });
    expect(stats.body.totals).toMatchObject({ refused: 1, total: 2 });
    conforms('/api/assist/stats', 'get', '200', stats.body);
    const sent = await k.api('POST', '/api/assist/stats/send', { body: { month }, token: teller });
    expect(sent.body.totals).toEqual(stats.body.totals);
    conforms('/api/assist/stats/send', 'post', '200', sent.body);
    const paper = await k.api('POST', '/api/assist/stats/print', { body: { month }, token: teller });
    expect(paper.status, paper.text).toBe(200);
    conforms('/api/assist/stats/print', 'post', '200', paper.body);
    // The bodies are parsed by the published schemas: a month that is no month is refused by name.
    const badMonth = await k.api('POST', '/api/assist/stats/send', {
      body: { month: '202613' },
      token: teller,
    });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.field ?? badMonth.body.issues[0].field).toBe('month');
    expect(
      ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/AssistStatsSend' }, { month: '202613' }),
    ).toBe(false);
    // Not vacuous: a request without its state, or statistics without totals, do not conform.
    const { state: _s, ...partial } = verified.body;
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/AssistRequestUpdated' }, partial)).toBe(
      false,
    );
    const { totals: _t, ...noTotals } = stats.body;
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/AssistStats' }, noTotals)).toBe(false);
  });

  it('has every service’s own paths with the request body its zod schema gives', () => {
    for (const def of SERVICES) {
      const input = z.toJSONSchema(def.fields, { io: 'input' });
      for (const leaf of ['transactions', 'quote']) {
        const body = doc.paths[`/api/services/${def.id}/${leaf}`]?.post?.requestBody;
        expect(body?.required, `${def.id} ${leaf}`).toBe(true);
        expect(resolve(doc, body.content['application/json'].schema.$ref), `${def.id} ${leaf}`).toEqual(
          input,
        );
      }
      const inquiry = doc.paths[`/api/services/${def.id}/inquiry`];
      if (def.inquiry) {
        const expected = z.toJSONSchema(pickFields(def.fields, def.inquiry.fields), { io: 'input' });
        expect(resolve(doc, inquiry.post.requestBody.content['application/json'].schema.$ref)).toEqual(
          expected,
        );
        // The answer is documented by the one schema the kiosk checks HQ's answer with.
        const res = resolve(doc, inquiry.post.responses['200'].content['application/json'].schema.$ref) as {
          properties: { answer: { $ref: string } };
        };
        expect(resolve(doc, res.properties.answer.$ref), def.id).toEqual(
          z.toJSONSchema(def.inquiry.answer, { io: 'output' }),
        );
      } else expect(inquiry).toBeUndefined();
    }
    const reverse = doc.paths['/api/transactions/{serial}/actions/reverse'].post;
    const bodies = reverse.requestBody.content['application/json'].schema.anyOf.map((r: { $ref: string }) =>
      resolve(doc, r.$ref),
    );
    const withReverse = SERVICES.filter((d) => d.actions?.reverse);
    expect(bodies).toHaveLength(withReverse.length);
    for (const def of withReverse) {
      const names = def.actions!.reverse!.confirmFields ?? [];
      expect(bodies).toContainEqual(z.toJSONSchema(pickFields(def.fields, names), { io: 'input' }));
    }
  });

  it('documents what the API really answers (answers validate against their schemas)', async () => {
    k.hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '0.00' } });
    const body = { phone: '13800138000', amount: '50' };
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/mobile-topup.input' }, body)).toBe(true);
    const created = await k.api('POST', '/api/services/mobile-topup/transactions', { body, token: teller });
    conforms('/api/services/mobile-topup/transactions', 'post', '201', created.body);
    await k.app.engine.waitFor(created.body.serial, (t) => t.terminal);
    const serial = created.body.serial;
    const quote = await k.api('POST', '/api/services/mobile-topup/quote', { body, token: teller });
    conforms('/api/services/mobile-topup/quote', 'post', '200', quote.body);
    const inquiry = await k.api('POST', '/api/services/mobile-topup/inquiry', {
      body: { phone: body.phone },
    });
    conforms('/api/services/mobile-topup/inquiry', 'post', '200', inquiry.body);
    const gets: Array<[string, string]> = [
      ['/api/health', '/api/health'],
      ['/api/services', '/api/services'],
      ['/api/service-tiles', '/api/service-tiles'],
      ['/api/services/{id}', '/api/services/game-topup'],
      ['/api/session', '/api/session'],
      ['/api/transactions', '/api/transactions'],
      ['/api/transactions/{serial}', `/api/transactions/${serial}`],
      ['/api/transactions/{serial}/receipt', `/api/transactions/${serial}/receipt`],
      ['/api/pending', '/api/pending'],
      ['/api/balance', '/api/balance'],
      ['/api/journal/today', '/api/journal/today'],
      ['/api/journal/history', `/api/journal/history?date=${created.body.businessDate}`],
      ['/api/journal/special', '/api/journal/special'],
      ['/api/journal/game-errors', '/api/journal/game-errors'],
    ];
    for (const [documented, real] of gets) {
      const r = await k.api('GET', real, { token: teller });
      expect(r.status, real).toBe(200);
      conforms(documented, 'get', '200', r.body);
    }
    // The kiosk runs at 10:00 (tests/support/chosen-time.ts), outside the reversal blackout.
    const refused = await k.api('POST', `/api/transactions/${serial}/actions/reverse`, {
      body: { phone: body.phone, amount: '51' },
      token: teller,
    });
    expect(refused.status, refused.text).toBe(400);
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/Error' }, refused.body)).toBe(true);
    const reversed = await k.api('POST', `/api/transactions/${serial}/actions/reverse`, {
      body: { phone: body.phone, amount: '50' },
      token: teller,
    });
    expect(reversed.status, reversed.text).toBe(200);
    conforms('/api/transactions/{serial}/actions/reverse', 'post', '200', reversed.body);
    // The check is not vacuous: an answer missing its fields does not conform.
    const { status: _s, ...partial } = created.body;
    expect(ajv.validate({ $ref: 'kiosk-openapi#/components/schemas/Transaction' }, partial)).toBe(false);
    const err = await k.api('POST', '/api/services/mobile-topup/quote', { body: { phone: '1' } });
    const validateError = ajv.compile({ $ref: 'kiosk-openapi#/components/schemas/Error' });
    expect(validateError(err.body), JSON.stringify(validateError.errors)).toBe(true);
    const login = await k.api('POST', '/api/session', { body: { code: 'A001', password: '123456' } });
    conforms('/api/session', 'post', '201', login.body);
  });
});
