import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPixel } from '../../devices/display/frame.ts';
import { bundledFont, type Frame } from '../../devices/display/index.ts';
import type { SimDisplay } from '../../devices/display/sim-display.ts';
import { renderText } from '../../devices/display/text-render.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const POLL = { timeout: 15_000, interval: 50 };
const PHONE = '13800138000';
/** The telecom service's field is called `number`: only its declaration says it is personal. */
const LANDLINE = '057187654321';
const FULL = [PHONE, LANDLINE, '0571-87654321'];

interface Captured {
  topic: string;
  text: string;
}

/** Where in `value` a full number appears, as dotted paths. */
function pathsWithNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    // HQ's signed envelopes carry their message as a JSON string.
    if (value.startsWith('{')) {
      try {
        return pathsWithNumbers(JSON.parse(value), path);
      } catch {}
    }
    return FULL.some((n) => value.includes(n)) ? [path] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => pathsWithNumbers(v, path ? `${path}.${k}` : k));
}

/**
 * A biller request is the one message that must carry the customer's number (the biller pays that
 * number); it travels only to HQ, over the broker's per-identity ACL. Every other MQTT message —
 * journal relay, answers, commands, telemetry, presence — carries none.
 */
function leaks(m: Captured): string[] {
  let body: unknown;
  try {
    body = JSON.parse(m.text);
  } catch {
    return FULL.some((n) => m.text.includes(n)) ? [`${m.topic}: (not JSON)`] : [];
  }
  const isRequest = m.topic.endsWith('/up/req');
  return pathsWithNumbers(body)
    .filter((p) => !(isRequest && /^payload\.fields\.[A-Za-z]+$/.test(p)))
    .map((p) => `${m.topic}: ${p}`);
}

/** Whether `strip` appears in `frame` at some position (lit and dark pixels alike). */
function containsStrip(frame: Frame, strip: Frame): boolean {
  for (let y = 0; y + strip.height <= frame.height; y++) {
    for (let x = 0; x + strip.width <= frame.width; x++) {
      let same = true;
      for (let sy = 0; same && sy < strip.height; sy++)
        for (let sx = 0; same && sx < strip.width; sx++)
          same = getPixel(frame, x + sx, y + sy) === getPixel(strip, sx, sy);
      if (same) return true;
    }
  }
  return false;
}

/**
 * A full run on the embedded defaults — a telecom inquiry and bill payment, a mobile top-up, a
 * notice with a mobile number on the roof sign, the journal relayed and then resent in full, a
 * telemetry report — with every MQTT message to and from the kiosk captured on the broker under
 * HQ's own login and every frame the simulated sign showed recorded.
 */
describe('masking on the roof sign and on MQTT across a full run', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let capture: MqttClient;
  const messages: Captured[] = [];
  const frames: Frame[] = [];

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({ prefix: 'kiosk-mask-mqtt-' });
    app = kiosk.app;
    (app.devices!.display as SimDisplay).onPreview((p) =>
      frames.push({ width: p.frame.width, height: p.frame.height, bits: Uint8Array.from(p.frame.bits) }),
    );
    const creds = JSON.parse(await readFile(join(kiosk.dir, 'hq', 'broker-credentials.json'), 'utf8'));
    capture = await mqtt.connectAsync(app.hq.embedded!.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: 'hq-capture',
      username: 'hq',
      password: creds.hq,
    });
    capture.on('message', (topic, payload) => messages.push({ topic, text: payload.toString('utf8') }));
    await capture.subscribeAsync(['kiosk/v1/#', 'hq/v1/#'], { qos: 1 });
  });
  afterAll(async () => {
    await capture?.endAsync(true).catch(() => undefined);
    await kiosk?.stop();
  });

  it('no MQTT message but the biller request, and no frame of the sign, carries a full number', async () => {
    await expect.poll(() => app.balance.summary().balance, POLL).toBe('1000.00');
    await expect.poll(() => app.config.services.enabled.includes('telecom-bill'), POLL).toBe(true);
    const answer = (await app.engine.inquire('telecom-bill', { number: '0571-87654321' }, TELLER)) as {
      contracts: Array<{ contractNo: string; arrears: string }>;
    };
    const contract = answer.contracts[0]!;
    const telecom = await app.engine.create(
      'telecom-bill',
      { number: '0571-87654321', contractNo: contract.contractNo, amount: contract.arrears },
      TELLER,
    );
    const mobile = await app.engine.create('mobile-topup', { phone: PHONE, amount: '50' }, TELLER);
    for (const t of [telecom, mobile]) {
      expect((await app.engine.waitFor(t.serial, (x) => x.terminal)).state).toBe('succeeded');
    }

    const sign = app.devices!.sign;
    sign.publish({
      id: 'pickup-1',
      text: `Tel ${PHONE}`,
      priority: 'high',
      layout: 'static',
      source: 'local',
    });
    const font = bundledFont();
    const masked = renderText('138****8000', font).strip;
    await expect.poll(() => frames.some((f) => containsStrip(f, masked)), POLL).toBe(true);
    sign.withdraw('pickup-1');

    await app.hq.link!.sendTelemetry();
    await expect.poll(() => app.journal.outboxDepth(), POLL).toBe(0);
    const before = messages.length;
    await app.hq.embedded!.server.commands.send(app.config.stationId, 'journal-resend', {
      fromSeq: 1,
      toSeq: null,
    });
    await expect
      .poll(
        () =>
          messages
            .slice(before)
            .some((m) => m.topic.endsWith('/up/journal') && m.text.includes('"resend":true')),
        POLL,
      )
      .toBe(true);
    await expect.poll(() => messages.some((m) => m.text.includes('display-proof')), POLL).toBe(true);

    // The capture saw the traffic that carries the numbers, both ways.
    const topics = new Set(messages.map((m) => m.topic.replace(/^kiosk\/v1\/\d+\//, '')));
    for (const t of ['up/req', 'down/res', 'up/journal', 'down/ack', 'up/telemetry', 'up/presence'])
      expect(topics, t).toContain(t);
    expect(messages.filter((m) => m.topic.endsWith('/up/req')).some((m) => m.text.includes(PHONE))).toBe(
      true,
    );

    expect(messages.flatMap(leaks)).toEqual([]);
    for (const n of FULL) {
      const strip = renderText(n, font).strip;
      expect(frames.filter((f) => containsStrip(f, strip)).length, `${n} on the sign`).toBe(0);
    }
  }, 120_000);
});
