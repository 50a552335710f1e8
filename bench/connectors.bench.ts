/**
 * Connector benchmarks (issue: connect): MQTT flood at QoS 1 through the full pipeline beside a bare mqtt.js
 * subscriber that only counts, on the same broker in the same run; and samples/s from 1,000 OPC UA variables.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { createCore } from '../src/runtime/create-runtime.js';
import { aedesBroker, freePort, mosquittoBroker, mosquittoPath } from '../test/support/brokers.js';
import { startOpcuaServer } from '../test/support/opcua-server.js';
import { printTable, type Figure } from './stats.js';

const publisherScript = fileURLToPath(new URL('./mqtt-publisher.ts', import.meta.url));
const EQUIPMENT = 'acme/plant-1/bench/m-1';

function plant(connector: string): string {
  return `version: 1
enterprise: { id: acme }
sites: [{ id: plant-1, areas: [{ id: bench, equipment: [{ id: m-1 }] }] }]
connectors:
${connector}`;
}

/** Runs the publisher process; `started` resolves with the moment it begins to send, `done` when it exits. */
function publish(url: string, count: number): { started: Promise<number>; done: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', publisherScript, url, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<number>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('publishing')) resolve(performance.now());
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`publisher exited with ${code}`))));
  });
  return { started, done };
}

async function bareSubscriber(url: string, count: number): Promise<Figure> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-bare-${process.pid}` });
  (client.stream as { setNoDelay?: (value: boolean) => void }).setNoDelay?.(true);
  let received = 0;
  const done = new Promise<number>((resolve) => {
    client.on('message', () => {
      received += 1;
      if (received === count) resolve(performance.now());
    });
  });
  await client.subscribeAsync('bench/+/v', { qos: 1 });
  const publisher = publish(url, count);
  const first = await publisher.started;
  const last = await done;
  await publisher.done;
  await client.endAsync();
  return { name: 'bare mqtt.js subscriber (counts only)', rate: count / ((last - first) / 1000), unit: 'msg/s', note: 'from the first publish to the last message' };
}

async function pipelineSubscriber(url: string, count: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-mqtt-'));
  try {
    writeFileSync(join(dir, 'plant.yaml'), plant(`  - { id: flood, kind: mqtt, url: "${url}", qos: 1, timestampField: ts, bindings: [{ topic: "bench/+/v", equipment: ${EQUIPMENT}, signal: "{1}", as: sample, field: value }] }\n`));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    await core.connectors.start();
    while (core.connectors.status()[0]!.health.state !== 'connected') await new Promise((resolve) => setTimeout(resolve, 20));
    let stored = 0;
    let last = 0;
    const unsubscribe = core.pipeline.onSamples((samples) => {
      stored += samples.length;
      if (stored >= count) last = performance.now();
    });
    const publisher = publish(url, count);
    const first = await publisher.started;
    while (last === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await publisher.done;
    unsubscribe();
    await core.close();
    return { name: 'MQTT connector → pipeline → historian', rate: count / ((last - first) / 1000), unit: 'msg/s', note: 'from the first publish to the last sample durable' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function opcuaThroughput(seconds: number): Promise<Figure> {
  const port = await freePort();
  const server = await startOpcuaServer({ port, variables: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-opcua-'));
  try {
    const bindings = Array.from({ length: 1000 }, (_, index) => `      - { address: "ns=1;s=V${index}", equipment: ${EQUIPMENT}, signal: v${index}, as: sample }`).join('\n');
    writeFileSync(join(dir, 'plant.yaml'), plant(`  - id: opcua\n    kind: opcua\n    endpoint: ${server.endpoint}\n    samplingIntervalMs: 100\n    publishingIntervalMs: 100\n    bindings:\n${bindings}\n`));
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    await core.connectors.start();
    while (core.connectors.status()[0]!.health.state !== 'connected') await new Promise((resolve) => setTimeout(resolve, 20));
    // Every variable changes every 100 ms with a fresh source timestamp: 10,000 changes/s offered.
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      const at = new Date(Date.UTC(2026, 0, 1) + tick * 100);
      for (let index = 0; index < 1000; index += 1) server.set(index, tick + index / 1000, at);
    }, 100);
    const count = async () => (await core.stores.historian.series(EQUIPMENT)).reduce((sum, series) => sum + series.count, 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = await count();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = await count();
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(timer);
    await core.close();
    return { name: 'OPC UA, 1,000 variables at 100 ms → historian', rate: (after - before) / elapsed, unit: 'samples/s', note: '10,000 changes/s offered; server in-process' };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runConnectorBench(options: { messages: number; opcuaSeconds: number }): Promise<void> {
  const mosquitto = mosquittoPath();
  const broker = mosquitto === undefined ? await aedesBroker() : await mosquittoBroker(mosquitto);
  try {
    console.log(`\nconnectors: MQTT flood of ${options.messages} QoS 1 messages through ${broker.name}; publisher in its own process`);
    const bare = await bareSubscriber(broker.url, options.messages);
    const pipeline = await pipelineSubscriber(broker.url, options.messages);
    printTable('MQTT at QoS 1', [bare, pipeline], bare);
    const ratio = pipeline.rate / bare.rate;
    console.log(`\npipeline / bare subscriber = ${(ratio * 100).toFixed(0)}% (aim: at least 70%) ${ratio >= 0.7 ? 'MET' : 'NOT MET'}`);
  } finally {
    await broker.dispose();
  }
  printTable('OPC UA', [await opcuaThroughput(options.opcuaSeconds)]);
}
