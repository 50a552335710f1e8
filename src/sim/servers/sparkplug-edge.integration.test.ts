/**
 * A demo plant edge node against the embedded broker, watched by an mqtt.js subscriber that decodes with the
 * project's codec: births with bdSeq, aliases and datatypes; data by alias with per-metric timestamps and wrapping
 * seq; rebirth on NCMD with the same bdSeq; the Will as NDEATH when killed; a new session when the broker returns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { aedesBroker } from '../../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { decodeSparkplug, encodeCommand, type DecodedPayload } from '../../connectors/sparkplug/codec.js';
import type { TagValue } from '../model/types.js';
import { SparkplugEdgeNode } from './sparkplug-edge.js';

const T0 = Date.parse('2026-01-05T05:30:00+01:00');

interface Seen {
  topic: string;
  payload: DecodedPayload;
}

describe('SparkplugEdgeNode', () => {
  it('speaks Sparkplug B 3.0 through births, data, rebirth, death and a broker restart', async () => {
    const before = resourceCounts();
    const broker = await aedesBroker();
    const seen: Seen[] = [];
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 100 });
    watcher.on('message', (topic, payload) => seen.push({ topic, payload: decodeSparkplug(payload) }));
    await watcher.subscribeAsync('spBv1.0/assembly/#', { qos: 1 });
    const values = new Map<string, { value: TagValue; ts: number }>([
      ['State', { value: 6, ts: T0 }],
      ['GoodCount', { value: 4_000_000_000, ts: T0 }],
      ['StopReason', { value: '', ts: T0 }],
    ]);
    let simNow = T0;
    const node = new SparkplugEdgeNode({
      url: broker.url,
      group: 'assembly',
      edge: 'line-2',
      devices: [{ id: 'press-2', metrics: [{ name: 'State', type: 'Int32' }, { name: 'GoodCount', type: 'UInt32' }, { name: 'StopReason', type: 'String' }] }],
      current: (_device, metric) => values.get(metric),
      now: () => simNow,
    });
    const of = (type: string): Seen[] => seen.filter((message) => message.topic.split('/')[2] === type);
    const bdSeqOf = (message: Seen | undefined): unknown => message?.payload.metrics.find((metric) => metric.name === 'bdSeq')?.value;
    try {
      await node.start();
      await until('births', () => of('DBIRTH').length === 1);
      const [nbirth] = of('NBIRTH');
      assert.equal(nbirth!.topic, 'spBv1.0/assembly/NBIRTH/line-2');
      assert.equal(nbirth!.payload.seq, 0);
      assert.equal(bdSeqOf(nbirth), 0);
      assert.deepEqual(nbirth!.payload.metrics.find((metric) => metric.name === 'Node Control/Rebirth')?.value, false);
      const dbirth = of('DBIRTH')[0]!;
      assert.equal(dbirth.topic, 'spBv1.0/assembly/DBIRTH/line-2/press-2');
      assert.equal(dbirth.payload.seq, 1);
      assert.deepEqual(
        dbirth.payload.metrics.map((metric) => [metric.name, metric.alias, metric.datatype, metric.value]),
        [['State', 100, 3, 6], ['GoodCount', 101, 7, 4_000_000_000], ['StopReason', 102, 12, '']],
      );

      for (let index = 1; index <= 300; index += 1) {
        simNow = T0 + index * 1000;
        node.publish('press-2', [{ name: 'GoodCount', value: 4_000_000_000 + index, ts: simNow }, { name: 'StopReason', value: `r${index}`, ts: simNow + 1 }], simNow);
      }
      await until('300 DDATA', () => of('DDATA').length === 300);
      const data = of('DDATA');
      assert.deepEqual(data.map((message) => message.payload.seq), Array.from({ length: 300 }, (_, index) => (index + 2) % 256), 'seq runs on from the births and wraps at 256');
      const last = data.at(-1)!.payload;
      assert.equal(last.timestamp, T0 + 300_000);
      assert.deepEqual(last.metrics.map((metric) => [metric.name, metric.alias, metric.value, metric.timestamp]), [
        [undefined, 101, 4_000_000_300, T0 + 300_000],
        [undefined, 102, 'r300', T0 + 300_001],
      ], 'data goes by alias, each metric with its own time');

      const commander = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await commander.publishAsync('spBv1.0/assembly/NCMD/line-2', Buffer.from(encodeCommand([{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }], Date.now())), { qos: 1 });
      await commander.endAsync();
      await until('rebirth', () => of('NBIRTH').length === 2);
      assert.equal(bdSeqOf(of('NBIRTH')[1]), 0, 'a rebirth keeps the session bdSeq');
      assert.equal(of('NBIRTH')[1]!.payload.seq, 0);
      await until('device rebirth', () => of('DBIRTH').length === 2);
      assert.equal(of('DBIRTH')[1]!.payload.metrics.find((metric) => metric.name === 'State')?.value, 6);

      await node.kill();
      await until('NDEATH from the Will', () => of('NDEATH').length === 1);
      assert.equal(bdSeqOf(of('NDEATH')[0]), 0, 'the death names the session that died');
      await node.start();
      await until('new session', () => of('NBIRTH').length === 3);
      assert.equal(bdSeqOf(of('NBIRTH')[2]), 1);

      await broker.stop();
      await broker.restart();
      await until('watcher back', () => watcher.connected);
      await watcher.subscribeAsync('spBv1.0/assembly/#', { qos: 1 });
      await until('node back after the broker restart', () => of('NBIRTH').some((message) => bdSeqOf(message) === 2), 20_000);
      await until('online', () => node.online);

      await node.stop();
      await until('NDEATH on a clean stop', () => of('NDEATH').some((message) => bdSeqOf(message) === 2));
    } finally {
      await node.stop();
      await watcher.endAsync(true);
      await broker.dispose();
    }
    await assertNothingLeftBehind(before);
  });

  it('waits for its primary host to be online before its birth, and holds data while the host is away', async () => {
    const broker = await aedesBroker();
    const seen: string[] = [];
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    watcher.on('message', (topic) => seen.push(topic.split('/')[2]!));
    await watcher.subscribeAsync('spBv1.0/assembly/#', { qos: 1 });
    const node = new SparkplugEdgeNode({
      url: broker.url,
      group: 'assembly',
      edge: 'line-2',
      devices: [{ id: 'press-2', metrics: [{ name: 'State', type: 'Int32' }] }],
      current: () => ({ value: 6, ts: T0 }),
      now: () => T0,
      primaryHostId: 'plantfabric-demo',
    });
    const state = (online: boolean) => watcher.publishAsync('spBv1.0/STATE/plantfabric-demo', JSON.stringify({ online, timestamp: T0 }), { qos: 1, retain: true });
    try {
      await node.start();
      node.publish('press-2', [{ name: 'State', value: 5, ts: T0 + 1 }], T0 + 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(seen.length, 0, `no birth and no data before the host is online (saw ${seen.join(', ')})`);
      await state(true);
      await until('births once the host is online', () => seen.includes('DBIRTH'));
      await state(false);
      await until('offline noticed', () => !node.online);
      node.publish('press-2', [{ name: 'State', value: 6, ts: T0 + 2 }], T0 + 2);
      await state(true);
      await until('born again after the host returned', () => seen.filter((type) => type === 'NBIRTH').length === 2);
      assert.equal(seen.filter((type) => type === 'DDATA').length, 0, 'data held while the host was away; the birth carries the values');
    } finally {
      await node.stop();
      await watcher.endAsync(true);
      await broker.dispose();
    }
  });
});
