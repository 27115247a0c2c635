import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { addStationCommands, DYNSEC_CONTROL_TOPIC } from './mosquitto-dynsec.ts';

/** Errors of a command that leave the broker as asked: the station was added before. */
const ALREADY = /already exists/i;

interface ControlResponse {
  responses?: Array<{ command?: string; error?: string; correlationData?: string }>;
}

/**
 * Adds `station` (its role, then its client) to a running Mosquitto through the dynamic-security
 * plugin's control topic, as the broker's administrator (`client` connected to the kiosk listener
 * with the `broker-admin` certificate). The plugin applies it at once — the station's kiosk can
 * connect without a broker restart — and saves its own file. Adding a station that is there
 * already changes nothing. Rejects with the broker's error, or after `timeoutMs` without an answer.
 */
export async function applyStation(
  client: MqttClient,
  station: string,
  opts: { prefix?: string; timeoutMs?: number } = {},
): Promise<void> {
  const commands = addStationCommands(station, opts.prefix).map((c) => ({
    ...c,
    correlationData: randomUUID() as string,
  }));
  const waiting = new Map<string, unknown>(commands.map((c) => [c.correlationData, c.command]));
  const responseTopic = `${DYNSEC_CONTROL_TOPIC}/response`;
  await new Promise<void>((resolve, reject) => {
    const errors: string[] = [];
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `broker did not answer the dynamic-security commands within ${opts.timeoutMs ?? 10_000} ms`,
          ),
        ),
      opts.timeoutMs ?? 10_000,
    );
    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== responseTopic) return;
      let body: ControlResponse;
      try {
        body = JSON.parse(payload.toString()) as ControlResponse;
      } catch {
        return;
      }
      for (const r of body.responses ?? []) {
        if (!r.correlationData || !waiting.has(r.correlationData)) continue;
        waiting.delete(r.correlationData);
        if (r.error && !ALREADY.test(r.error)) errors.push(`${r.command}: ${r.error}`);
      }
      if (waiting.size === 0)
        finish(errors.length > 0 ? new Error(`broker refused: ${errors.join('; ')}`) : undefined);
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      if (err) reject(err);
      else resolve();
    };
    client.on('message', onMessage);
    client
      .subscribeAsync(responseTopic, { qos: 1 })
      .then((granted) => {
        if (granted.some((g) => g.qos > 2))
          throw new Error(
            'not allowed on the dynamic-security control topic (is this the broker-admin certificate?)',
          );
        // Role first: the client names it.
        return client.publishAsync(DYNSEC_CONTROL_TOPIC, JSON.stringify({ commands }), { qos: 1 });
      })
      .catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
  });
}
