import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { type AdminRequest, type AdminResponse, adminResponseSchema } from '../protocol/schemas/index.ts';
import { HQ_TOPICS } from '../protocol/topics.ts';

export interface AdminConnection {
  url: string;
  protocolVersion: 4 | 5;
  ca?: string;
  cert?: string;
  key?: string;
  /** User name and password, on a broker that asks for them (the embedded one). */
  login?: { username: string; password: string };
}

export class AdminError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** `kiosk-hq`'s connection to HQ: admin requests over the broker, answered by any HQ instance. */
export class AdminClient {
  private client: MqttClient | null = null;
  private readonly clientId = `kiosk-hq-cli-${randomUUID().slice(0, 8)}`;
  private readonly waiting = new Map<string, (r: AdminResponse) => void>();

  constructor(private readonly conn: AdminConnection) {}

  async connect(): Promise<void> {
    const read = async (p?: string) => (p ? await readFile(p) : undefined);
    const [ca, cert, key] = await Promise.all([
      read(this.conn.ca),
      read(this.conn.cert),
      read(this.conn.key),
    ]);
    const opts: IClientOptions = {
      clientId: this.clientId,
      protocolVersion: this.conn.protocolVersion,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(this.conn.login ?? {}),
    };
    this.client = await mqtt.connectAsync(this.conn.url, opts);
    this.client.on('message', (_t, payload) => {
      try {
        const r = adminResponseSchema.parse(JSON.parse(payload.toString('utf8')));
        this.waiting.get(r.id)?.(r);
      } catch {
        // not an admin answer
      }
    });
    await this.client.subscribeAsync(HQ_TOPICS.adminResponse(this.clientId), { qos: 1 });
  }

  async request<T = unknown>(
    action: AdminRequest['action'],
    args: Record<string, unknown>,
    timeoutMs = 10_000,
  ): Promise<T> {
    const client = this.client;
    if (!client) throw new AdminError('HQ_E_NOT_CONNECTED', 'not connected');
    const id = randomUUID();
    const req: AdminRequest = { v: 1, id, replyTo: HQ_TOPICS.adminResponse(this.clientId), action, args };
    const answer = new Promise<AdminResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new AdminError(
            'HQ_E_TIMEOUT',
            `no HQ instance answered within ${timeoutMs} ms (is \`kiosk-hq serve\` running?)`,
          ),
        );
      }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(r);
      });
    });
    await client.publishAsync(HQ_TOPICS.adminRequest, JSON.stringify(req), { qos: 1 });
    const r = await answer;
    if (!r.ok) throw new AdminError(r.error?.code ?? 'HQ_E_ADMIN', r.error?.message ?? 'failed');
    return r.data as T;
  }

  /** Publishes a fault-injection control message to every HQ instance. */
  async control(body: unknown): Promise<void> {
    await this.client?.publishAsync(HQ_TOPICS.control, JSON.stringify(body), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
    this.client = null;
  }
}
