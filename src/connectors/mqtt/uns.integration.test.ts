/**
 * The unified namespace against real brokers: stored events and samples appear, retained, under ISA-95 paths; a late
 * sample never rolls a value back; what changed while the broker was down goes out when it returns; stop() leaves
 * nothing running.
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

function plantYaml(url: string): string {
  return `
version: 1
enterprise: { id: acme }
sites: [{ id: plant-1, areas: [{ id: assembly, lines: [{ id: line-1, equipment: [{ id: press-1 }] }] }] }]
connectors:
  - { id: namespace, kind: uns, url: "${url}", topicPrefix: "uns/", publishIntervalMs: 10 }
`;
}

/** Reads the retained state of the namespace with a fresh subscriber, as any other tool would. */
async function retained(url: string): Promise<Map<string, Record<string, unknown>>> {
  const client = await mqtt.connectAsync(url, { clientId: `uns-reader-${Math.random().toString(16).slice(2)}` });
  const seen = new Map<string, Record<string, unknown>>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) seen.set(topic, JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
  });
  await client.subscribeAsync('uns/#', { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await client.endAsync(true);
  return seen;
}

const t0 = Date.UTC(2026, 0, 1, 6);
const state = (value: string, at: number) => ({
  type: 'equipment.state.changed', occurredAt: new Date(at).toISOString(), source: { system: 'plc' }, subject: { equipment: PRESS }, data: { state: value },
});

async function exercise(makeBroker: () => Promise<TestBroker>): Promise<void> {
  const before = resourceCounts();
  const broker = await makeBroker();
  const dir = mkdtempSync(join(tmpdir(), 'pf-uns-'));
  writeFileSync(join(dir, 'plant.yaml'), plantYaml(broker.url));
  let core: Core | undefined;
  try {
    core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
    const started = core;
    await started.connectors.start();
    const health = () => started.connectors.status()[0]!.health;
    await until('connected', () => health().state === 'connected');

    await started.pipeline.ingestValue([state('execute', t0), { ...state('faulted', t0 + 1000), data: { state: 'faulted', reason: 'jam' } }], { source: { system: 'plc' } });
    await started.pipeline.ingestValue({ type: 'alarm.raised', occurredAt: new Date(t0 + 1000).toISOString(), source: { system: 'plc' }, subject: { equipment: PRESS }, data: { alarm: 'jam', severity: 800 } });
    await started.pipeline.ingestSamples([{ equipment: PRESS, signal: 'vibration-rms', ts: t0 + 2000, value: 3.5 }], { source: { system: 'plc' } });
    // A late reading (say, drained from a connector's store-and-forward queue) must not replace the newer value.
    await started.pipeline.ingestSamples([{ equipment: PRESS, signal: 'vibration-rms', ts: t0 + 1500, value: 1.0 }], { source: { system: 'plc' } });

    await until('namespace published', () => health().details?.['published'] === 3);
    const namespace = await retained(broker.url);
    assert.deepEqual(namespace.get(`uns/${PRESS}/state`), { state: 'faulted', reason: 'jam', at: new Date(t0 + 1000).toISOString(), quality: 'good' });
    assert.equal(namespace.get(`uns/${PRESS}/alarms/jam`)?.['active'], true);
    assert.equal(namespace.get(`uns/${PRESS}/signals/vibration-rms`)?.['value'], 3.5);

    await broker.stop();
    await until('disconnected', () => health().state !== 'connected');
    await started.pipeline.ingestValue(state('execute', t0 + 5000), { source: { system: 'plc' } });
    await broker.restart();
    await until('reconnected', () => health().state === 'connected', 15_000);
    await until('state republished', () => health().details?.['published'] === 4);
    const republished = await retained(broker.url);
    assert.equal(republished.get(`uns/${PRESS}/state`)?.['state'], 'execute', 'the change made while the broker was away went out on reconnect');
  } finally {
    await core?.close();
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  await assertNothingLeftBehind(before);
}

describe('unified namespace (kind: uns)', () => {
  it('publishes retained state over the embedded aedes broker', () => exercise(aedesBroker));

  const mosquitto = mosquittoPath();
  it('publishes retained state over Mosquitto', { skip: mosquitto === undefined ? 'mosquitto is not installed (CI installs it)' : false }, () =>
    exercise(() => mosquittoBroker(mosquitto!)),
  );
});
