/**
 * The whole demo plant at high speed against real clients: OPC UA (node-opcua), Sparkplug and RTLS (mqtt.js on the
 * embedded broker, decoded with the project's codec), Modbus (raw socket), the enterprise systems (fetch), and the
 * camera posting to a webhook receiver. One endpoint is killed and brought back; stop() leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { aedesBroker } from '../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../test/support/wait.js';
import { decodeSparkplug, type DecodedPayload } from '../connectors/sparkplug/codec.js';
import { loadSimConfig } from './config.js';
import { PACKML } from './model/machine.js';
import { digestUpdates } from './model/plant.js';
import type { PlantUpdate } from './model/types.js';
import { signBody, SIGNATURE_HEADER } from './servers/vision-poster.js';
import { startSimulator, type SimulatorHandle } from './simulator.js';

const SECRET = 'demo-secret';

/** Reads holding registers 0..1 (compressor pressure) with a hand-made Modbus TCP request. */
function readPressure(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2])));
    socket.once('data', (answer) => {
      socket.destroy();
      resolve(answer.readFloatBE(9));
    });
    socket.once('error', reject);
  });
}

async function webhookReceiver(): Promise<{ url: string; bodies: Array<Record<string, unknown>>; close(): Promise<void> }> {
  const bodies: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ok = req.headers[SIGNATURE_HEADER] === signBody(raw, SECRET);
      if (ok) bodies.push(JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
      res.writeHead(ok ? 202 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/vision`,
    bodies,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

describe('startSimulator', () => {
  it('runs the demo plant on every protocol, survives a killed endpoint, and stops cleanly', async () => {
    const before = resourceCounts();
    const config = structuredClone(await loadSimConfig());
    config.speed = 1200;
    // No Sparkplug host application runs here to announce itself, so the nodes must not wait for one.
    delete config.endpoints.sparkplugPrimaryHost;
    config.endpoints.opcua.port = 0;
    config.endpoints.modbus.port = 0;
    config.endpoints.mtconnect = { port: 0, bufferSize: 131072 };
    config.endpoints.enterprise.port = 0;
    const broker = await aedesBroker();
    const webhook = await webhookReceiver();
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const sparkplug: Array<{ topic: string; payload: DecodedPayload }> = [];
    const positions: Array<Record<string, unknown>> = [];
    watcher.on('message', (topic, payload) => {
      if (topic.startsWith('spBv1.0/')) sparkplug.push({ topic, payload: decodeSparkplug(payload) });
      else positions.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
    });
    await watcher.subscribeAsync(['spBv1.0/assembly/#', 'rtls/+/position'], { qos: 0 });
    const pkiDir = mkdtempSync(join(tmpdir(), 'pf-sim-'));
    let sim: SimulatorHandle | undefined;
    try {
      sim = await startSimulator(config, { brokerUrl: broker.url, webhookUrl: webhook.url, webhookSecret: SECRET });
      const running = sim;
      const seen: PlantUpdate[] = [...running.initialUpdates];
      running.onUpdates((updates) => seen.push(...updates));
      const cnc: string[] = [];
      running.cnc.subscribe((observations) => cnc.push(...observations.map((observation) => observation.dataItemId)));

      // Sparkplug: births, then data from the line-2 machines.
      await until('Sparkplug births and data', () => sparkplug.some((message) => message.topic === 'spBv1.0/assembly/DDATA/line-2/press-2'));
      assert.ok(sparkplug.some((message) => message.topic === 'spBv1.0/assembly/DBIRTH/line-2/packer-1'));
      // RTLS as JSON.
      await until('positions', () => positions.length > 20);
      assert.deepEqual(Object.keys(positions[0]!).sort(), ['tag', 'ts', 'x', 'y', 'z']);
      // Modbus.
      const pressure = await readPressure(running.endpoints.modbus.port);
      assert.ok(pressure > 5 && pressure < 8, `pressure ${pressure}`);
      // ERP.
      const orders = (await (await fetch(`${running.endpoints.enterprise.erp}/work-orders`)).json()) as { items: Array<{ id: string }> };
      assert.ok(orders.items.length >= 4 && orders.items[0]!.id === 'WO-10001');
      // The camera's unreadable label (20 simulated minutes in), signed.
      const label = await until('unreadable label posted', () => webhook.bodies.find((body) => body.detection === 'label-unreadable'));
      assert.equal(label.equipment, 'assembly-2');
      // The CNC seam.
      await until('CNC observations', () => cnc.includes('cnc-1-execution') && cnc.includes('cnc-1-spindle-vib'));

      // OPC UA: read, kill, come back.
      const opcua = await import('node-opcua');
      const certificateManager = new opcua.OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true });
      await certificateManager.initialize();
      const readState = async (): Promise<unknown> => {
        const client = opcua.OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: certificateManager, connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 } });
        try {
          await client.connect(running.endpoints.opcua.endpointUrl);
          const session = await client.createSession();
          const value = await session.read({ nodeId: 'ns=1;s=press-1.State', attributeId: opcua.AttributeIds.Value });
          await session.close();
          return value.value.value;
        } finally {
          await client.disconnect();
        }
      };
      assert.ok(Object.values(PACKML).includes((await readState()) as never));
      await running.stopEndpoint('opcua');
      assert.equal(running.status().opcua.running, false);
      await assert.rejects(readState(), 'the OPC UA server is gone');
      assert.equal(running.status().modbus.running, true, 'the rest keeps running');
      const stepsWhileDown = running.clock.index;
      await until('the plant keeps stepping', () => running.clock.index > stepsWhileDown + 100);
      await running.startEndpoint('opcua');
      assert.equal(await readState(), running.plant.tag('press-1', 'State'));
      await certificateManager.dispose();

      // Sparkplug killed: the broker publishes the Will; back with the next bdSeq.
      await running.stopEndpoint('sparkplug');
      await until('NDEATH', () => sparkplug.some((message) => message.topic === 'spBv1.0/assembly/NDEATH/line-2'));
      await running.startEndpoint('sparkplug');
      await until('rebirth with bdSeq 1', () =>
        sparkplug.some((message) => message.topic === 'spBv1.0/assembly/NBIRTH/line-2' && message.payload.metrics.some((metric) => metric.name === 'bdSeq' && metric.value === 1)),
      );

      assert.equal(running.failure, undefined);
      assert.ok(seen.length > 1000);
      assert.match(digestUpdates(seen, 1000), /^[0-9a-f]{64}$/);
    } finally {
      await sim?.stop();
      await watcher.endAsync(true);
      await webhook.close();
      await broker.dispose();
      rmSync(pkiDir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });

  it('refuses to start on a taken port and leaves nothing running', async () => {
    const before = resourceCounts();
    const config = structuredClone(await loadSimConfig());
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    config.endpoints.enterprise.port = (blocker.address() as { port: number }).port;
    config.endpoints.opcua.port = 0;
    config.endpoints.modbus.port = 0;
    config.endpoints.mtconnect = { port: 0, bufferSize: 131072 };
    const broker = await aedesBroker();
    try {
      await assert.rejects(startSimulator(config, { brokerUrl: broker.url }), (error: { code?: string; message: string }) => error.code === 'PF_ERR_CONFIG_INVALID' && /enterprise/.test(error.message));
    } finally {
      await broker.dispose();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    await assertNothingLeftBehind(before);
  });
});
