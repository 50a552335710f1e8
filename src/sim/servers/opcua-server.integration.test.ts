/**
 * The machines' OPC UA server with a real node-opcua client subscribing at sampling interval 0: every change the model
 * makes arrives, in order, with its simulated source timestamp; a killed server comes back on the same endpoint with
 * the model's current values.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { loadSimConfig } from '../config.js';
import { Plant } from '../model/plant.js';
import type { TagUpdate } from '../model/types.js';
import { OpcuaMachineServer, opcuaNodeId } from './opcua-server.js';

const WATCHED: Array<[string, string]> = [
  ['press-1', 'State'],
  ['press-1', 'StopReason'],
  ['press-1', 'WorkOrder'],
  ['press-1', 'GoodCount'],
  ['test-1', 'PartSerial'],
  ['test-1', 'BoreDiameter'],
];

async function connectClient(endpointUrl: string, pkiDir: string) {
  const opcua = await import('node-opcua');
  const certificateManager = new opcua.OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true });
  await certificateManager.initialize();
  const client = opcua.OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: certificateManager, connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 } });
  await client.connect(endpointUrl);
  const session = await client.createSession();
  return {
    opcua,
    session,
    async close() {
      await session.close().catch(() => undefined);
      await client.disconnect();
      await certificateManager.dispose();
    },
  };
}

describe('OpcuaMachineServer', () => {
  it('delivers every change to a subscriber with its simulated time, and restarts with current values', async () => {
    const before = resourceCounts();
    const config = structuredClone(await loadSimConfig());
    config.endpoints.opcua.port = 0;
    const pkiDir = mkdtempSync(join(tmpdir(), 'pf-sim-opcua-'));
    const plant = new Plant(config);
    const expected: TagUpdate[] = [];
    const feed = (updates: ReturnType<Plant['step']>, server?: OpcuaMachineServer): void => {
      for (const update of updates) {
        if (update.kind !== 'tag') continue;
        if (server?.serves(update.machine)) server.apply(update);
        if (WATCHED.some(([machine, tag]) => update.machine === machine && update.tag === tag)) expected.push(update);
      }
    };
    feed(plant.initial());
    const server = new OpcuaMachineServer(config, () => plant.snapshot());
    await server.start();
    let client = await connectClient(server.endpointUrl, pkiDir);
    const received = new Map<string, Array<{ value: unknown; ts: number }>>();
    try {
      const { opcua, session } = client;
      const subscription = await session.createSubscription2({
        requestedPublishingInterval: 50, requestedLifetimeCount: 600, requestedMaxKeepAliveCount: 20, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 10,
      });
      for (const [machine, tag] of WATCHED) {
        const item = await subscription.monitor(
          { nodeId: opcuaNodeId(machine, tag), attributeId: opcua.AttributeIds.Value },
          { samplingInterval: 0, discardOldest: false, queueSize: 10_000 },
          opcua.TimestampsToReturn.Both,
        );
        const list: Array<{ value: unknown; ts: number }> = [];
        received.set(`${machine}.${tag}`, list);
        item.on('changed', (dataValue) => list.push({ value: dataValue.value.value, ts: dataValue.sourceTimestamp?.getTime() ?? 0 }));
      }
      await until('initial values', () => [...received.values()].every((list) => list.length === 1));
      for (const [machine, tag] of WATCHED) {
        const [initial] = received.get(`${machine}.${tag}`)!;
        assert.deepEqual(initial, { value: plant.tag(machine, tag), ts: plant.lastUpdate(machine, tag)!.ts }, `${machine}.${tag} starts at the model's value`);
      }
      expected.length = 0;

      for (let step = 1; step <= 90 * 60; step += 1) {
        feed(plant.step(plant.start + step * 1000), server);
        if (step % 30 === 0) await tick();
      }
      for (const [machine, tag] of WATCHED) {
        const want = expected.filter((update) => update.machine === machine && update.tag === tag).map((update) => ({ value: update.value, ts: update.ts }));
        assert.ok(want.length > 0, `${machine}.${tag} changed`);
        const got = await until(`${machine}.${tag}: ${want.length} changes`, () => {
          const list = received.get(`${machine}.${tag}`)!.slice(1);
          return list.length >= want.length ? list : undefined;
        });
        assert.deepEqual(got, want, `${machine}.${tag}: every change, in order, with its source time`);
      }
      await client.close();

      const endpoint = server.endpointUrl;
      await server.stop();
      for (let step = 90 * 60 + 1; step <= 100 * 60; step += 1) feed(plant.step(plant.start + step * 1000), server);
      await server.start();
      assert.equal(server.endpointUrl, endpoint, 'the same endpoint after a restart');
      client = await connectClient(server.endpointUrl, pkiDir);
      const values = await client.session.read(WATCHED.map(([machine, tag]) => ({ nodeId: opcuaNodeId(machine, tag), attributeId: client.opcua.AttributeIds.Value })));
      assert.deepEqual(values.map((value) => value.value.value), WATCHED.map(([machine, tag]) => plant.tag(machine, tag)), 'the restarted server serves the current values');
    } finally {
      await client.close().catch(() => undefined);
      await server.stop();
      rmSync(pkiDir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });
});
