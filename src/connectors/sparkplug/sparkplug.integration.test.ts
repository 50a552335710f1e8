/**
 * The Sparkplug B host against a simulated edge node over real brokers (embedded aedes; Mosquitto when installed):
 * births with aliases, every scalar datatype, a deliberate sequence gap answered by a rebirth request the node honours,
 * a death marking metrics stale (and an older death ignored), a node that reconnects, and the host STATE contract.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { aedesBroker, mosquittoBroker, mosquittoPath, type TestBroker } from '../../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { decodeSparkplug, encodeSparkplug } from './codec.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const TYPED: Array<[string, string, number | boolean]> = [
  ['I8', 'Int8', -100], ['I16', 'Int16', -30000], ['I32', 'Int32', -2000000000], ['I64', 'Int64', -9000000000000],
  ['U8', 'UInt8', 250], ['U16', 'UInt16', 65000], ['U32', 'UInt32', 4000000000], ['U64', 'UInt64', 9000000000000],
  ['F', 'Float', 1.5], ['D', 'Double', 2.25], ['B', 'Boolean', true], ['T', 'DateTime', 1767225600000],
];

function plantYaml(url: string): string {
  const typed = TYPED.map(([name]) => `      - { address: "line-1/edge-1/press:${name}", equipment: ${PRESS}, signal: t-${name.toLowerCase()}, as: sample }`).join('\n');
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }]
connectors:
  - id: spb
    kind: sparkplug
    url: ${url}
    hostId: plantfabric-test
    rebirthIntervalMs: 0
    flushMs: 5
    bindings:
      - { address: "line-1/edge-1/press:State", equipment: ${PRESS}, signal: state, as: state, enum: { RUNNING: execute, HELD: held } }
      - { address: "line-1/edge-1/press:Vibration", equipment: ${PRESS}, signal: vibration-rms, as: sample }
      - { address: "line-1/edge-1/press:Label", equipment: ${PRESS}, signal: label, as: event, eventType: signal.value.changed }
${typed}
`;
}

/** A minimal edge node: births, data with aliases, its own seq counter, and rebirth on NCMD. */
class EdgeNode {
  client!: MqttClient;
  seq = 0;
  rebirths = 0;
  /** Births fully published (NBIRTH and DBIRTH on the wire), so a test never sends data inside a birth. */
  born = 0;
  /** Device commands received, decoded, with the QoS they came at. */
  commands: Array<{ topic: string; qos: number; metrics: Array<{ name?: string; datatype?: number; value: unknown }> }> = [];
  constructor(readonly url: string, public bdSeq: number) {}

  async connect(): Promise<void> {
    const will = encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }] });
    this.client = await mqtt.connectAsync(this.url, { clientId: `edge-1-${this.bdSeq}`, reconnectPeriod: 0, will: { topic: 'spBv1.0/line-1/NDEATH/edge-1', payload: Buffer.from(will), qos: 1, retain: false } });
    await this.client.subscribeAsync(['spBv1.0/line-1/NCMD/edge-1', 'spBv1.0/line-1/DCMD/edge-1/+'], { qos: 1 });
    this.client.on('message', (topic, payload, packet) => {
      if (topic.includes('/DCMD/')) {
        this.commands.push({ topic, qos: packet.qos, metrics: decodeSparkplug(payload).metrics });
        return;
      }
      const command = decodeSparkplug(payload);
      if (command.metrics.some((metric) => metric.name === 'Node Control/Rebirth' && metric.value === true)) {
        this.rebirths += 1;
        void this.birth();
      }
    });
  }

  async publish(type: string, metrics: UMetric[], device?: string, seq: number | undefined = this.next()): Promise<void> {
    const payload = encodeSparkplug({ timestamp: Date.now(), ...(seq === undefined ? {} : { seq }), metrics });
    await this.client.publishAsync(`spBv1.0/line-1/${type}/edge-1${device === undefined ? '' : `/${device}`}`, Buffer.from(payload), { qos: 0 });
  }

  next(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) % 256;
    return seq;
  }

  async birth(): Promise<void> {
    this.seq = 0;
    await this.publish('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }, { name: 'Node Control/Rebirth', type: 'Boolean', value: false }]);
    await this.publish('DBIRTH', [
      { name: 'State', alias: 1, type: 'String', value: 'RUNNING' },
      { name: 'Vibration', alias: 2, type: 'Double', value: 1.0 },
      { name: 'Label', alias: 3, type: 'String', value: 'ok' },
      ...TYPED.map(([name, type, value], index): UMetric => ({ name, alias: 10 + index, type: type as UMetric['type'], value })),
    ], 'press');
    this.born += 1;
  }

  async death(bdSeq = this.bdSeq): Promise<void> {
    await this.publish('NDEATH', [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }], undefined, undefined);
  }
}

async function exercise(makeBroker: () => Promise<TestBroker>): Promise<void> {
  const before = resourceCounts();
  const broker = await makeBroker();
  const dir = mkdtempSync(join(tmpdir(), 'pf-spb-'));
  writeFileSync(join(dir, 'plant.yaml'), plantYaml(broker.url));
  const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  const states: string[] = [];
  watcher.on('message', (_topic, payload) => states.push(payload.toString()));
  await watcher.subscribeAsync('spBv1.0/STATE/plantfabric-test', { qos: 1 });
  let core: Core | undefined;
  const edge = new EdgeNode(broker.url, 1);
  try {
    core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    const running = core;
    await running.connectors.start();
    await until('host connected', () => running.connectors.status()[0]!.health.state === 'connected');
    const online = JSON.parse(await until('online STATE', () => states[0])) as { online: boolean; timestamp: number };
    assert.equal(online.online, true);
    assert.ok(Number.isInteger(online.timestamp));

    const range = (signal: string) => running.stores.historian.range({ equipment: PRESS, signal, from: 0, to: Date.now() + 60_000 });
    await edge.connect();
    await edge.birth();
    for (const [name, , value] of TYPED) {
      const points = await until(`t-${name}`, async () => {
        const found = await range(`t-${name.toLowerCase()}`);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(points[0]!.value, typeof value === 'boolean' ? Number(value) : value, `${name} decoded exactly`);
    }

    // Bytes that are not a Sparkplug payload: kept as a dead letter with the bytes, never counted as data.
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]);
    await edge.client.publishAsync('spBv1.0/line-1/DDATA/edge-1/press', garbage, { qos: 1 });
    const malformed = await until('dead letter', async () => (await running.stores.deadLetters.list({ stage: 'connector' }))[0]);
    assert.equal(malformed.code, 'PF_ERR_INGEST_DECODE');
    assert.deepEqual(Buffer.from(malformed.raw), garbage);
    assert.equal(malformed.source.address, 'spBv1.0/line-1/DDATA/edge-1/press');
    // What the bytes said is lost, so the host asks the node to re-send its state.
    await until('rebirth after undecodable data', () => edge.rebirths >= 1 && edge.born >= 2);
    const rebirthsBeforeGap = edge.rebirths;

    await edge.publish('DDATA', [{ alias: 2, type: 'Double', value: 3.5 }, { alias: 1, type: 'String', value: 'HELD' }], 'press');
    await until('alias-resolved data', async () => (await range('vibration-rms')).some((point) => point.value === 3.5));
    const held = await until('held state', async () => {
      const events = await running.stores.events.query({ types: ['equipment.state.changed'] });
      return events.find((event) => event.data['state'] === 'held');
    });
    assert.equal(held.subject.equipment, PRESS);

    const bornBeforeGap = edge.born;
    edge.seq = 40; // a deliberate gap
    await edge.publish('DDATA', [{ alias: 2, type: 'Double', value: 4.5 }], 'press');
    await until('rebirth honoured', () => edge.rebirths > rebirthsBeforeGap && edge.born > bornBeforeGap);
    await until('data after rebirth', async () => {
      await edge.publish('DDATA', [{ alias: 2, type: 'Double', value: 5.5 }], 'press');
      return (await range('vibration-rms')).some((point) => point.value === 5.5);
    });
    assert.ok((running.connectors.status()[0]!.health.details?.['rebirthsRequested'] as number) >= 2);

    await new Promise((resolve) => setTimeout(resolve, 5)); // the stale marker gets a millisecond of its own
    await edge.death(0); // an older session's death: ignored
    await edge.death();
    const stale = await until('stale samples', async () => {
      const points = await range('vibration-rms');
      return points.some((point) => point.quality === 'bad') ? points : undefined;
    });
    assert.equal(stale.filter((point) => point.quality === 'bad').length, 1, 'exactly one death was honoured');
    const staleState = await until('stale state', async () => {
      const events = await running.stores.events.query({ types: ['equipment.state.changed'] });
      return events.find((event) => event.quality === 'bad');
    });
    assert.equal(staleState.data['state'], 'execute', 'the last state the rebirth reported, now stale');

    // A write-back goes out as DCMD, typed as the metric was born, at QoS 1; an undeclared metric is refused.
    const spb = running.connectors.connector('spb')!;
    assert.deepEqual(await spb.write!({ address: 'line-1/edge-1/press:I16', value: -123 }), { ok: true });
    const command = await until('DCMD at the edge', () => edge.commands[0]);
    assert.equal(command.topic, 'spBv1.0/line-1/DCMD/edge-1/press');
    assert.equal(command.qos, 1);
    assert.deepEqual(command.metrics.map((metric) => [metric.name, metric.value]), [['I16', -123]]);
    const refused = await spb.write!({ address: 'line-1/edge-1/press:Nope', value: 1 });
    assert.equal(refused.ok, false);
    assert.match(refused.message ?? '', /not declared in a birth/);

    await edge.client.endAsync(true);
    const reborn = new EdgeNode(broker.url, 2);
    await reborn.connect();
    await reborn.birth();
    // Samples are keyed by (equipment, signal, ms): let the clock move past the birth's timestamp.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reborn.publish('DDATA', [{ alias: 2, type: 'Double', value: 7.5 }], 'press');
    await until('reconnected node', async () => (await range('vibration-rms')).some((point) => point.value === 7.5));
    await reborn.client.endAsync(true);

    await running.close();
    core = undefined;
    const offline = JSON.parse(await until('offline STATE', () => states.find((state) => state.includes('"online":false')))) as { online: boolean; timestamp: number };
    assert.equal(offline.timestamp, online.timestamp, 'the death STATE carries the birth timestamp');
  } finally {
    await core?.close();
    await watcher.endAsync(true);
    if (edge.client?.connected) await edge.client.endAsync(true);
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  await assertNothingLeftBehind(before);
}

describe('Sparkplug B host', () => {
  it('follows an edge node over the embedded aedes broker', () => exercise(aedesBroker));
  const mosquitto = mosquittoPath();
  it('follows an edge node over Mosquitto', { skip: mosquitto === undefined ? 'mosquitto is not installed (CI installs it)' : false }, () =>
    exercise(() => mosquittoBroker(mosquitto!)),
  );
});
