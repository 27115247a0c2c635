import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { mqttOptions, resolveConnection } from '../../../src/hq-link/mqtt-options.ts';
import { buildOffline } from '../../../src/hq-link/telemetry.ts';
import { startAedes } from '../../support/aedes-broker.ts';

// The table mqtt-packet fills on its first write unless a client turns it off: one Buffer per
// possible packet id (65,536), held for the life of the process.
const numbers = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('the HQ link’s MQTT client options', () => {
  it('send QoS 1 packets without building the table of every packet id', async () => {
    const broker = await startAedes();
    const { config } = await loadConfig({
      file: undefined,
      overrides: { stationId: '33010001', hq: { protocolVersion: 4 } },
    });
    const conn = resolveConnection(config, config.stationId, { url: broker.url });
    const client = await mqtt.connectAsync(
      conn.url,
      mqttOptions(conn, config.hq, buildOffline(config.stationId, 0, 'lwt')),
    );
    stop = async () => {
      await client.endAsync();
      await broker.stop();
    };
    for (let i = 0; i < 50; i++) await client.publishAsync('kiosk/test', `m${i}`, { qos: 1 });
    expect(Object.keys(numbers.cache)).toHaveLength(0);
  });
});
