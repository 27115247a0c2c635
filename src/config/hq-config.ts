import { z } from 'zod';

/** An Ed25519 public key: SPKI PEM, or the base64 of its SPKI DER (44 bytes) or raw key (32 bytes). */
export const ed25519PublicKey = z
  .string()
  .refine(
    (s) =>
      /-----BEGIN PUBLIC KEY-----/.test(s) || /^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9+/]{59}=?$/.test(s.trim()),
    'must be an Ed25519 public key (PEM, or base64 of the raw 32-byte key or its SPKI DER)',
  );

/**
 * The HQ link. `embedded` runs an in-process broker (aedes, MQTT 3.1.1) and the reference HQ: the
 * default for `npm start`. `broker` connects to a real broker with TLS and a per-kiosk client
 * certificate. `off` runs without HQ (every HQ request then ends `unknown`).
 */
export const hqConfigSchema = z
  .strictObject({
    mode: z.enum(['embedded', 'broker', 'off']),
    /** mqtts://host:8883 (or mqtt:// on loopback only). Ignored in embedded mode. */
    brokerUrl: z.string().regex(/^mqtts?:\/\/[^\s/]+(:\d+)?\/?$/, 'must be mqtt:// or mqtts://host[:port]'),
    /** 4 = MQTT 3.1.1, 5 = MQTT 5. The protocol needs no v5 feature; v5 adds response properties. */
    protocolVersion: z.union([z.literal(4), z.literal(5)]),
    /** PEM files for mutual TLS: the CA that signed the broker, this kiosk's certificate and key. */
    tls: z.strictObject({
      ca: z.string().min(1).nullable(),
      cert: z.string().min(1).nullable(),
      key: z.string().min(1).nullable(),
    }),
    /** MQTT client id; null means the station id (the broker's ACL keys on the certificate CN). */
    clientId: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .nullable(),
    /** First topic level; the tree below it is `<prefix>/v1/<station>/…`. */
    topicPrefix: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a lower-case topic level'),
    /** Groups this kiosk belongs to (HQ addresses notices to groups). */
    groups: z.array(z.string().regex(/^[\w-]{1,40}$/)),
    /** How long one request to HQ waits for its answer, ms (the engine has its own timeout too). */
    requestTimeoutMs: z.int().min(100).max(600_000),
    /** Telemetry period, ms. */
    telemetryIntervalMs: z.int().min(1000).max(86_400_000),
    keepaliveSec: z.int().min(5).max(3600),
    reconnect: z.strictObject({
      minDelayMs: z.int().min(100).max(600_000),
      maxDelayMs: z.int().min(100).max(3_600_000),
    }),
    /** Journal relay: events per message, messages awaiting HQ's ack, and the re-send timeout. */
    relay: z.strictObject({
      batchMax: z.int().min(1).max(1000),
      inflightMax: z.int().min(1).max(64),
      ackTimeoutMs: z.int().min(500).max(600_000),
    }),
    /** HQ's Ed25519 public key; every message from HQ must carry a signature it verifies. */
    publicKey: ed25519PublicKey.nullable(),
    /** Extra keys accepted during a key rotation. */
    extraPublicKeys: z.array(ed25519PublicKey),
    /** Warn (log, telemetry, birth) when the client certificate expires within this many days. */
    certExpiryWarnDays: z.int().min(1).max(365),
    /** The in-process broker and reference HQ of `embedded` mode. */
    embedded: z.strictObject({
      /** HQ's own folder (LevelDB, signing key, connection.json), relative to the working folder. */
      dataDir: z.string().min(1),
      /** Broker port on 127.0.0.1; 0 picks a free one (written to `<dataDir>/connection.json`). */
      port: z.int().min(0).max(65535),
      /** Biller latency, ms (each answer waits this long ±50 %). */
      billerLatencyMs: z.int().min(0).max(60_000),
      /** Upstream manual reversal processing period, minutes. */
      reversalIntervalMin: z
        .number()
        .min(0.01)
        .max(24 * 60),
      /** Initial prepaid balance HQ gives a station it has never seen, yuan. */
      openingBalance: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/),
      /**
       * The services the demo station's operator is trained on: the reference HQ enables them at a
       * station it has never seen (a real HQ enables each service by command after training).
       */
      trainedServices: z.array(z.string().regex(/^[a-z][a-z0-9-]{1,40}$/)).max(100),
    }),
  })
  .superRefine((hq, ctx) => {
    if (hq.reconnect.maxDelayMs < hq.reconnect.minDelayMs)
      ctx.addIssue({ code: 'custom', path: ['reconnect', 'maxDelayMs'], message: 'must be ≥ minDelayMs' });
    if (hq.mode !== 'broker') return;
    if (hq.publicKey === null)
      ctx.addIssue({ code: 'custom', path: ['publicKey'], message: 'required in broker mode' });
    const tlsUrl = hq.brokerUrl.startsWith('mqtts://');
    for (const k of ['ca', 'cert', 'key'] as const) {
      if (tlsUrl && hq.tls[k] === null)
        ctx.addIssue({ code: 'custom', path: ['tls', k], message: 'required for mqtts:// in broker mode' });
    }
    if (!tlsUrl && !/^mqtt:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(hq.brokerUrl))
      ctx.addIssue({
        code: 'custom',
        path: ['brokerUrl'],
        message: 'plain mqtt:// is allowed on loopback only',
      });
  });

export type HqConfig = z.output<typeof hqConfigSchema>;
