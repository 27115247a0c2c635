import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult, SignedPayload } from '../../src/protocol/schemas/index.ts';
import { type RejectCode, signPayload } from '../../src/protocol/signed.ts';
import { type CommandName, commandTopic, upTopic } from '../../src/protocol/topics.ts';
import { startAedes } from '../support/aedes-broker.ts';
import { testSigningKey } from '../support/hq-instance.ts';
import { makeTestKiosk, type TestKiosk } from '../support/hq-kiosk.ts';

const STATION = '33010005';
const hqKey = testSigningKey();
const otherKey = testSigningKey();

describe('signed HQ commands', () => {
  let broker: Awaited<ReturnType<typeof startAedes>>;
  let kiosk: TestKiosk;
  let hq: MqttClient;
  const results: CommandResult[] = [];
  const rejected: RejectCode[] = [];
  let seq = 100;

  const cmd = (name: CommandName, data: unknown, over: Partial<SignedPayload> = {}): SignedPayload => {
    const now = Date.now();
    return {
      kind: 'cmd',
      station: STATION,
      iat: now,
      exp: now + 60_000,
      seq: ++seq,
      cmd: name,
      data,
      ...over,
    } as SignedPayload;
  };
  const send = async (name: CommandName, body: string): Promise<void> => {
    await hq.publishAsync(commandTopic('kiosk', STATION, name), body, { qos: 1 });
  };
  const signed = (p: SignedPayload, key = hqKey.privateKey) => JSON.stringify(signPayload(key, p));
  const snapshot = async () => ({
    events: kiosk.journal.lastCounters.event,
    balance: kiosk.balance.summary(),
    notices: kiosk.link.notices().map((n) => n.id),
    config: kiosk.applied.length,
  });
  const lastResult = () => results[results.length - 1];

  beforeAll(async () => {
    broker = await startAedes();
    kiosk = await makeTestKiosk({
      station: STATION,
      hq: { mode: 'embedded' },
      connection: { url: broker.url, protocolVersion: 4, publicKeys: [hqKey.publicPem] },
    });
    kiosk.link.on('rejected', (r) => rejected.push(r.code));
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    hq = await mqtt.connectAsync(broker.url, { clientId: 'hq-test', protocolVersion: 4 });
    hq.on('message', (_t, p) => results.push(JSON.parse(p.toString())));
    await hq.subscribeAsync(upTopic('kiosk', STATION, 'commandResult'), { qos: 1 });
  });

  afterAll(async () => {
    await hq?.endAsync();
    await kiosk?.stop();
    await broker?.stop();
  });

  beforeEach(() => {
    results.length = 0;
  });

  it('applies a good command and reports it', async () => {
    await send('balance', signed(cmd('balance', { kind: 'topup', fen: 10_000, ref: 'DEP-1' })));
    await expect.poll(() => lastResult()?.status).toBe('applied');
    expect(kiosk.balance.summary().balance).toBe('100.00');
  });

  const cases: Array<[string, RejectCode, () => { name: CommandName; body: string }]> = [
    [
      'unsigned',
      'HQ_E_UNSIGNED',
      () => ({
        name: 'balance',
        body: JSON.stringify(cmd('balance', { kind: 'topup', fen: 500, ref: 'U1' })),
      }),
    ],
    [
      'signed by another key',
      'HQ_E_BAD_SIGNATURE',
      () => ({
        name: 'balance',
        body: signed(cmd('balance', { kind: 'topup', fen: 500, ref: 'K1' }), otherKey.privateKey),
      }),
    ],
    [
      'tampered after signing',
      'HQ_E_BAD_SIGNATURE',
      () => {
        const env = signPayload(hqKey.privateKey, cmd('balance', { kind: 'topup', fen: 500, ref: 'T1' }));
        return {
          name: 'balance',
          body: JSON.stringify({ ...env, payload: env.payload.replace('500', '90000') }),
        };
      },
    ],
    [
      'expired',
      'HQ_E_EXPIRED',
      () => ({
        name: 'balance',
        body: signed(
          cmd(
            'balance',
            { kind: 'topup', fen: 500, ref: 'E1' },
            { iat: Date.now() - 120_000, exp: Date.now() - 60_000 },
          ),
        ),
      }),
    ],
    [
      'issued in the future',
      'HQ_E_NOT_YET_VALID',
      () => ({
        name: 'balance',
        body: signed(
          cmd(
            'balance',
            { kind: 'topup', fen: 500, ref: 'F1' },
            { iat: Date.now() + 3_600_000, exp: Date.now() + 7_200_000 },
          ),
        ),
      }),
    ],
    [
      'for another station',
      'HQ_E_OTHER_STATION',
      () => ({
        name: 'balance',
        body: signed(cmd('balance', { kind: 'topup', fen: 500, ref: 'O1' }, { station: '33019999' })),
      }),
    ],
    [
      'on another command’s topic',
      'HQ_E_TOPIC_MISMATCH',
      () => ({ name: 'notice', body: signed(cmd('balance', { kind: 'topup', fen: 500, ref: 'M1' })) }),
    ],
    ['not JSON', 'HQ_E_MALFORMED', () => ({ name: 'balance', body: '{"v":1,' })],
  ];

  for (const [label, code, make] of cases) {
    it(`rejects a command ${label} (${code}): logged, reported, nothing changes`, async () => {
      const before = await snapshot();
      const n = rejected.length;
      const { name, body } = make();
      await send(name, body);
      await expect.poll(() => rejected.length).toBe(n + 1);
      expect(rejected[n]).toBe(code);
      await expect.poll(() => lastResult()?.reason?.code).toBe(code);
      expect(lastResult()?.status).toBe('rejected');
      expect(await snapshot()).toEqual(before);
    });
  }

  it('rejects a replayed command and reports its first result', async () => {
    const body = signed(cmd('balance', { kind: 'topup', fen: 2_000, ref: 'DEP-2' }));
    await send('balance', body);
    await expect.poll(() => lastResult()?.status).toBe('applied');
    const before = await snapshot();
    await send('balance', body);
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_REPLAYED');
    expect(lastResult()?.first?.status).toBe('applied');
    expect(await snapshot()).toEqual(before);
  });

  it('keeps replay protection across a restart of the link', async () => {
    const body = signed(cmd('balance', { kind: 'topup', fen: 300, ref: 'DEP-3' }));
    await send('balance', body);
    await expect.poll(() => lastResult()?.status).toBe('applied');
    await kiosk.link.stop();
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    const before = await snapshot();
    await send('balance', body);
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_REPLAYED');
    expect(await snapshot()).toEqual(before);
  });

  it('rejects authentic commands with invalid data, naming the problem', async () => {
    const before = await snapshot();
    await send('balance', signed(cmd('balance', { kind: 'topup', fen: -5, ref: 'BAD' })));
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_INVALID_COMMAND');
    expect(lastResult()?.reason?.en).toMatch(/fen/);
    await send('config', signed(cmd('config', { version: 1, overrides: { stationId: '12345678' } })));
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_CONFIG_PROTECTED');
    await send(
      'config',
      signed(cmd('config', { version: 2, overrides: { balance: { lowWarning: 'lots' } } })),
    );
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_CONFIG_INVALID');
    expect(lastResult()?.data?.problems).toEqual([expect.objectContaining({ field: 'balance.lowWarning' })]);
    expect(await snapshot()).toEqual({ ...before, events: before.events });
  });

  it('applies a valid config, keeps the previous for rollback, and rolls back', async () => {
    await send(
      'config',
      signed(cmd('config', { version: 5, overrides: { balance: { lowWarning: '50.00' } } })),
    );
    await expect.poll(() => kiosk.config().balance.lowWarning).toBe('50.00');
    await send(
      'config',
      signed(cmd('config', { version: 6, overrides: { balance: { lowWarning: '80.00' } } })),
    );
    await expect.poll(() => kiosk.config().balance.lowWarning).toBe('80.00');
    await send('config', signed(cmd('config', { version: 4, overrides: {} })));
    await expect.poll(() => lastResult()?.reason?.code).toBe('HQ_E_CONFIG_STALE');
    await send('config-rollback', signed(cmd('config-rollback', { fromVersion: 6 })));
    await expect.poll(() => kiosk.config().balance.lowWarning).toBe('50.00');
  });
});
