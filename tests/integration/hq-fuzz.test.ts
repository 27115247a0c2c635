import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedPayload } from '../../src/protocol/schemas/index.ts';
import { signPayload } from '../../src/protocol/signed.ts';
import { ackTopic, COMMANDS, commandTopic, responseTopic, stationRoot } from '../../src/protocol/topics.ts';
import { startAedes } from '../support/aedes-broker.ts';
import { testSigningKey } from '../support/hq-instance.ts';
import { makeTestKiosk, type TestKiosk } from '../support/hq-kiosk.ts';
import { until } from '../support/wait.ts';

const STATION = '33010007';
const key = testSigningKey();
const P = 'kiosk';

/** Every topic the kiosk subscribes to (its `down/#`), plus a few it does not know. */
const TOPICS = [
  responseTopic(P, STATION),
  ackTopic(P, STATION),
  ...COMMANDS.map((c) => commandTopic(P, STATION, c)),
  `${stationRoot(P, STATION)}/down/cmd/unknown`,
  `${stationRoot(P, STATION)}/down/res/extra`,
  `${stationRoot(P, STATION)}/down/other`,
];

function validMessages(): string[] {
  const now = Date.now();
  const base = { station: STATION, iat: now, exp: now + 3_600_000 };
  const payloads: SignedPayload[] = [
    { kind: 'cmd', ...base, seq: 1, cmd: 'balance', data: { kind: 'topup', fen: 5000, ref: 'FZ-1' } },
    {
      kind: 'cmd',
      ...base,
      seq: 2,
      cmd: 'notice',
      data: {
        id: 'fz',
        text: '通知',
        priority: 'high',
        kind: 'first',
        followUpOf: null,
        startAt: null,
        endAt: null,
      },
    },
    { kind: 'cmd', ...base, seq: 3, cmd: 'terminal', data: { terminalNo: '12345678', status: 'enabled' } },
    { kind: 'res', ...base, id: 'abcdef0123456789', result: { outcome: 'ok' } },
  ];
  return payloads.map((p) => JSON.stringify(signPayload(key.privateKey, p)));
}

/**
 * Mutations of a valid signed message: flipped characters, spliced text, changed fields, or the
 * message itself (already applied, so a copy is a replay).
 */
function mutated(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...valid),
    fc
      .tuple(fc.constantFrom(...valid), fc.nat(), fc.string({ minLength: 1, maxLength: 4 }))
      .map(([s, i, ins]) => {
        const at = i % s.length;
        return s.slice(0, at) + ins + s.slice(at + 1);
      }),
    fc
      .tuple(fc.constantFrom(...valid), fc.nat(), fc.nat())
      .map(([s, a, b]) => s.slice(Math.min(a, b) % s.length, Math.max(a, b) % s.length)),
    fc.tuple(fc.constantFrom(...valid), fc.jsonValue()).map(([s, v]) => {
      const env = JSON.parse(s) as Record<string, unknown>;
      const inner = JSON.parse(env.payload as string) as Record<string, unknown>;
      const k = Object.keys(inner)[Math.abs(JSON.stringify(v).length) % Object.keys(inner).length] as string;
      return JSON.stringify({ ...env, payload: JSON.stringify({ ...inner, [k]: v }) });
    }),
  );
}

describe('fuzzing every subscribed topic', () => {
  let broker: Awaited<ReturnType<typeof startAedes>>;
  let kiosk: TestKiosk;
  let hq: MqttClient;
  let rejections = 0;

  beforeAll(async () => {
    broker = await startAedes();
    kiosk = await makeTestKiosk({
      station: STATION,
      hq: { mode: 'embedded' },
      connection: { url: broker.url, protocolVersion: 4, publicKeys: [key.publicPem] },
    });
    kiosk.link.on('rejected', () => {
      rejections++;
    });
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    hq = await mqtt.connectAsync(broker.url, { clientId: 'hq-fuzzer', protocolVersion: 4 });
    // Apply the valid commands once, so identical copies below are replays.
    const valid = validMessages();
    for (const [i, m] of valid.slice(0, 3).entries())
      await hq.publishAsync(
        commandTopic(P, STATION, (['balance', 'notice', 'terminal'] as const)[i] as 'balance'),
        m,
        { qos: 1 },
      );
    await until(() => kiosk.link.notices().length === 1 && kiosk.link.terminal()?.terminalNo === '12345678');
  });

  afterAll(async () => {
    await hq?.endAsync();
    await kiosk?.stop();
    await broker?.stop();
  });

  it('random and mutated payloads never crash the kiosk and never change its state', async () => {
    const valid = validMessages();
    const state = async () => ({
      events: kiosk.journal.lastCounters.event,
      balance: kiosk.balance.summary(),
      notices: kiosk.link.notices().map((n) => [n.id, n.text]),
      terminal: kiosk.link.terminal()?.terminalNo,
      outbox: (await kiosk.journal.outboxSeqs()).length,
      config: kiosk.applied.length,
    });
    const before = await state();
    const payload = fc.oneof(
      mutated(valid),
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOPICS), payload, async (topic, body) => {
        const n = rejections;
        await hq.publishAsync(topic, body, { qos: 1 });
        await expect.poll(() => rejections, { timeout: 2000, interval: 5 }).toBeGreaterThan(n);
        expect(kiosk.link.online).toBe(true);
        expect(await state()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    // Still alive and working: a fresh valid command is applied.
    const now = Date.now();
    const ok: SignedPayload = {
      kind: 'cmd',
      station: STATION,
      iat: now,
      exp: now + 60_000,
      seq: 10,
      cmd: 'notice-withdraw',
      data: { id: 'fz' },
    };
    await hq.publishAsync(
      commandTopic(P, STATION, 'notice-withdraw'),
      JSON.stringify(signPayload(key.privateKey, ok)),
      { qos: 1 },
    );
    await expect.poll(() => kiosk.link.notices().length).toBe(0);
  });
});
