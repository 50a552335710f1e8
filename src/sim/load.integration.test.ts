/**
 * Load mode over each protocol, read by a real client: every tag carries the tick number, nothing is skipped, and
 * the report counts what was sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { aedesBroker } from '../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../test/support/wait.js';
import { isPlantfabricError } from '../core/errors.js';
import { decodeSparkplug } from '../connectors/sparkplug/codec.js';
import { startLoad } from './load.js';

const TAGS = 5;
const RATE = 40;

/** Ticks seen per tag must be 1, 2, 3, ... without a gap. */
function assertConsecutive(ticks: readonly number[], what: string): void {
  ticks.forEach((tick, index) => assert.equal(tick, index + 1, `${what}: tick ${index + 1} is ${tick}`));
}

describe('startLoad', () => {
  it('publishes N tags at R Hz as MQTT JSON and as Sparkplug DDATA', async () => {
    const before = resourceCounts();
    const broker = await aedesBroker();
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const json = new Map<string, number[]>();
    const metrics = new Map<string, number[]>();
    watcher.on('message', (topic, payload) => {
      if (topic.startsWith('load/')) {
        const body = JSON.parse(payload.toString('utf8')) as { value: number; ts: number };
        json.set(topic, [...(json.get(topic) ?? []), body.value]);
      } else if (topic.includes('/DDATA/')) {
        for (const metric of decodeSparkplug(payload).metrics) metrics.set(String(metric.alias), [...(metrics.get(String(metric.alias)) ?? []), Number(metric.value)]);
      }
    });
    await watcher.subscribeAsync(['load/+', 'spBv1.0/load/#'], { qos: 0 });
    try {
      const plain = await startLoad({ protocol: 'mqtt', tags: TAGS, rateHz: RATE, brokerUrl: broker.url });
      assert.deepEqual(plain.addresses.slice(0, 2), ['load/t0', 'load/t1']);
      await until('60 ticks over MQTT', () => (json.get('load/t4')?.length ?? 0) >= 60);
      const report = await plain.stop();
      assert.equal(report.values, report.ticks * TAGS);
      await until('the last ticks', () => json.get('load/t4')!.length === report.ticks);
      for (const [topic, ticks] of json) assertConsecutive(ticks, topic);

      const spb = await startLoad({ protocol: 'sparkplug', tags: TAGS, rateHz: RATE, brokerUrl: broker.url });
      assert.equal(spb.addresses[0], 'load/load-edge/load-device:t0');
      await until('60 ticks over Sparkplug', () => (metrics.get('104')?.length ?? 0) >= 60);
      const spbReport = await spb.stop();
      await until('every DDATA', () => metrics.get('104')!.length === spbReport.ticks);
      assert.equal(metrics.size, TAGS);
      for (const [alias, ticks] of metrics) assertConsecutive(ticks, `alias ${alias}`);
    } finally {
      await watcher.endAsync(true);
      await broker.dispose();
    }
    await assertNothingLeftBehind(before);
  });

  it('serves N tags at R Hz from an OPC UA server and a Modbus unit', async () => {
    const before = resourceCounts();
    const pkiDir = mkdtempSync(join(tmpdir(), 'pf-load-'));
    const modbus = await startLoad({ protocol: 'modbus', tags: TAGS, rateHz: RATE });
    try {
      const [host, port] = modbus.endpoint.split(':');
      const read = (): Promise<number[]> =>
        new Promise((resolve, reject) => {
          const socket = connect(Number(port), host, () => socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, TAGS * 2])));
          socket.once('data', (answer) => {
            socket.destroy();
            resolve(Array.from({ length: TAGS }, (_, index) => answer.readFloatBE(9 + index * 4)));
          });
          socket.once('error', reject);
        });
      const first = await until('modbus values', async () => ((await read())[0]! > 0 ? await read() : undefined));
      await until('modbus values move on', async () => (await read())[0]! > first[0]!);
      const report = await modbus.stop();
      assert.ok(report.ticks >= first[0]!);
    } finally {
      await modbus.stop();
    }

    const load = await startLoad({ protocol: 'opcua', tags: TAGS, rateHz: RATE });
    const opcua = await import('node-opcua');
    const certificateManager = new opcua.OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true });
    await certificateManager.initialize();
    const client = opcua.OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: certificateManager, connectionStrategy: { maxRetry: 0 } });
    try {
      await client.connect(load.endpoint);
      const session = await client.createSession();
      const subscription = await session.createSubscription2({ requestedPublishingInterval: 50, requestedLifetimeCount: 600, requestedMaxKeepAliveCount: 20, maxNotificationsPerPublish: 0, publishingEnabled: true });
      const item = await subscription.monitor({ nodeId: load.addresses[TAGS - 1]!, attributeId: opcua.AttributeIds.Value }, { samplingInterval: 0, discardOldest: false, queueSize: 1000 }, opcua.TimestampsToReturn.Both);
      const ticks: number[] = [];
      item.on('changed', (value) => ticks.push(Number(value.value.value)));
      await until('40 ticks over OPC UA', () => ticks.length >= 40);
      const report = await load.stop();
      const received = ticks.filter((tick) => tick > 0);
      assertConsecutive(received.map((tick) => tick - received[0]! + 1), 'OPC UA');
      assert.ok(report.ticks >= received.at(-1)!);
      await session.close();
    } finally {
      await client.disconnect();
      await load.stop();
      await certificateManager.dispose();
      rmSync(pkiDir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });

  it('refuses impossible loads', async () => {
    for (const options of [{ protocol: 'mqtt', tags: 10, rateHz: 10 }, { protocol: 'opcua', tags: 0, rateHz: 10 }, { protocol: 'modbus', tags: 10, rateHz: 5000 }] as const) {
      await assert.rejects(startLoad(options), (error) => isPlantfabricError(error) && error.code === 'PF_ERR_REQUEST_INVALID');
    }
  });
});
