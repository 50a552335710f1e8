/**
 * The MQTT connector against real brokers: the embedded aedes broker, and Mosquitto when installed (CI installs it).
 * Readings become events and samples, a malformed payload becomes a dead letter with its bytes, a broker restart is
 * survived without help, and stop() leaves no socket or timer behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { aedesBroker, mosquittoBroker, mosquittoPath, type TestBroker } from '../../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';

function plantYaml(url: string, protocolVersion: 4 | 5): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment: [{ id: press-1 }, { id: cnc-1 }]
connectors:
  - id: line-1-broker
    kind: mqtt
    system: plc
    url: ${url}
    protocolVersion: ${protocolVersion}
    qos: 1
    flushMs: 5
    timestampField: ts
    bindings:
      - { topic: line1/+/state, equipment: "acme/plant-1/assembly/line-1/{1}", signal: state, as: state, field: value, enum: { "0": idle, "1": execute, "2": faulted } }
      - { topic: line1/+/rms, equipment: "acme/plant-1/assembly/line-1/{1}", signal: vibration-rms, as: sample, field: value }
      - { topic: line1/+/count, equipment: "acme/plant-1/assembly/line-1/{1}", signal: parts, as: count, field: value }
    events:
      - topic: rtls/+/position
        eventType: location.position.reported
        occurredAt: ts
        data: { tag: tag, x: { path: x, as: number }, y: { path: y, as: number }, z: { path: z, as: number, optional: true } }
`;
}

async function exercise(makeBroker: () => Promise<TestBroker>, protocolVersion: 4 | 5): Promise<void> {
  const before = resourceCounts();
  const broker = await makeBroker();
  const dir = mkdtempSync(join(tmpdir(), 'pf-mqtt-'));
  const configFile = join(dir, 'plant.yaml');
  writeFileSync(configFile, plantYaml(broker.url, protocolVersion));
  let core: Core | undefined;
  const publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 200 });
  try {
    core = await createCore({ configFile, dataDir: dir });
    const started = core;
    await started.connectors.start();
    const health = () => started.connectors.status()[0]!.health;
    await until('connected', () => health().state === 'connected');

    const t0 = Date.UTC(2026, 0, 1, 6);
    const send = (topic: string, value: unknown, ts: number) => publisher.publishAsync(topic, JSON.stringify({ value, ts }), { qos: 1 });
    await send('line1/press-1/state', 1, t0);
    await send('line1/press-1/rms', 2.5, t0 + 1000);
    await send('line1/press-1/rms', 2.75, t0 + 2000);
    await send('line1/press-1/count', 100, t0 + 3000);
    await send('line1/press-1/count', 104, t0 + 4000);
    await publisher.publishAsync('line1/press-1/rms', '{"value": 3.0, "ts": ', { qos: 1 });
    await send('line1/press-1/state', 7, t0 + 5000);
    await publisher.publishAsync('rtls/torque-wrench-7/position', JSON.stringify({ tag: 'torque-wrench-7', x: 72.5, y: '38', ts: t0 + 5500 }), { qos: 1 });

    const states = await until('state event', async () => {
      const events = await started.stores.events.query({ types: ['equipment.state.changed'] });
      return events.length === 1 ? events : undefined;
    });
    assert.deepEqual(states[0]!.data, { state: 'execute' });
    assert.equal(states[0]!.occurredAt, new Date(t0).toISOString(), 'the payload timestamp is the event time');
    assert.deepEqual(states[0]!.source, { system: 'plc', connector: 'line-1-broker', address: 'line1/press-1/state' });
    const [position] = await until('position event', async () => {
      const events = await started.stores.events.query({ types: ['location.position.reported'] });
      return events.length === 1 ? events : undefined;
    });
    assert.deepEqual(position!.data, { tag: 'torque-wrench-7', x: 72.5, y: 38 }, 'a JSON document maps to a whole event');
    assert.equal(position!.occurredAt, new Date(t0 + 5500).toISOString());
    assert.equal(position!.source.address, 'rtls/torque-wrench-7/position');
    const counts = await until('count event', async () => {
      const events = await started.stores.events.query({ types: ['production.count.recorded'] });
      return events.length === 1 ? events : undefined;
    });
    assert.equal(counts[0]!.data['good'], 4, 'a running total becomes an increment');
    const points = await until('samples', async () => {
      const range = await started.stores.historian.range({ equipment: PRESS, signal: 'vibration-rms', from: t0, to: t0 + 10_000 });
      return range.length === 2 ? range : undefined;
    });
    assert.deepEqual(points.map((point) => point.value), [2.5, 2.75]);
    const deadLetters = await until('dead letters', async () => {
      const entries = await started.stores.deadLetters.list({ stage: 'connector' });
      return entries.length === 2 ? entries : undefined;
    });
    const malformed = deadLetters.find((entry) => entry.code === 'PF_ERR_INGEST_DECODE');
    assert.equal(Buffer.from(malformed!.raw).toString('utf8'), '{"value": 3.0, "ts": ');
    assert.equal(malformed!.source.address, 'line1/press-1/rms');
    const unmapped = deadLetters.find((entry) => entry.code === 'PF_ERR_INGEST_SCHEMA');
    assert.match(unmapped!.message, /not in the enum map/);

    await broker.stop();
    await until('disconnected', () => health().state === 'disconnected' || health().state === 'connecting');
    await broker.restart();
    await until('reconnected', () => health().state === 'connected', 15_000);
    await until('publisher reconnected', () => publisher.connected);
    await send('line1/press-1/state', 2, t0 + 6000);
    await until('event after restart', async () => {
      const events = await started.stores.events.query({ types: ['equipment.state.changed'] });
      return events.length === 2 ? events : undefined;
    });
    assert.ok(health().lastError?.message.includes(broker.url), 'the last error names the endpoint');
  } finally {
    await publisher.endAsync(true);
    await core?.close();
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  await assertNothingLeftBehind(before);
}

describe('MQTT connector', () => {
  it('works end to end against the embedded aedes broker (MQTT 3.1.1)', () => exercise(aedesBroker, 4));

  const mosquitto = mosquittoPath();
  it('works end to end against Mosquitto (MQTT 5)', { skip: mosquitto === undefined ? 'mosquitto is not installed (CI installs it)' : false }, () =>
    exercise(() => mosquittoBroker(mosquitto!), 5),
  );
});
