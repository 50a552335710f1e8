/**
 * A persistent session (cleanSession: false) against Mosquitto: QoS 1 messages published while Plantfabric is down
 * are kept by the broker and arrive when it comes back, so a restart loses no reading.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { mosquittoBroker, mosquittoPath } from '../../../test/support/brokers.js';
import { until } from '../../../test/support/wait.js';

const mosquitto = mosquittoPath();
const PRESS = 'acme/plant-1/assembly/line-1/press-1';

describe('MQTT persistent session (Mosquitto)', () => {
  it('receives the QoS 1 messages published while Plantfabric was stopped', { skip: mosquitto === undefined ? 'mosquitto is not installed (CI installs it)' : false }, async () => {
    const broker = await mosquittoBroker(mosquitto!);
    const dir = mkdtempSync(join(tmpdir(), 'pf-mqtt-session-'));
    writeFileSync(join(dir, 'plant.yaml'), `
version: 1
enterprise: { id: acme }
sites: [{ id: plant-1, areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }] }]
connectors:
  - { id: plant-broker, kind: mqtt, url: "${broker.url}", clientId: plantfabric-session-test, cleanSession: false, qos: 1, flushMs: 5, timestampField: ts,
      bindings: [{ topic: line1/press-1/rms, equipment: ${PRESS}, signal: vibration-rms, as: sample, field: value }] }
`);
    const publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const t0 = Date.UTC(2026, 0, 5, 6);
    const send = (index: number) => publisher.publishAsync('line1/press-1/rms', JSON.stringify({ value: index, ts: t0 + index * 1000 }), { qos: 1 });
    const stored = async (core: Core) => (await core.stores.historian.range({ equipment: PRESS, signal: 'vibration-rms', from: t0, to: t0 + 60_000 })).map((point) => point.value);
    let core: Core | undefined;
    try {
      core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
      await core.connectors.start();
      const first = core;
      await until('connected', () => first.connectors.status()[0]!.health.state === 'connected');
      await send(1);
      await until('the first reading', async () => (await stored(first)).length === 1 || undefined);
      await core.close();
      core = undefined;

      for (const index of [2, 3, 4]) await send(index); // while Plantfabric is down

      core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
      await core.connectors.start();
      const second = core;
      const values = await until('the readings sent while away', async () => ((await stored(second)).length === 4 ? stored(second) : undefined));
      assert.deepEqual(values, [1, 2, 3, 4]);
    } finally {
      await core?.close();
      await publisher.endAsync(true);
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
