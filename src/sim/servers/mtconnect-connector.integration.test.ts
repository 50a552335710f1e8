/**
 * The demo plant's MTConnect agent read by the project's real MTConnect connector, in the real core: the simulator
 * runs (stepped by hand, then on its timers), two connectors follow the agent — one streaming, one polling through the
 * device path /cnc-1 — and every state change, part count, vibration sample and fault condition of cnc-1 arrives as
 * canonical data with the simulated timestamps. An agent restart (stopEndpoint/startEndpoint) is detected by both and
 * data keeps flowing; nothing is lost on the way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aedesBroker, type TestBroker } from '../../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { EXECUTION_STATES } from '../../connectors/mtconnect/mapping.js';
import type { StoredEvent } from '../../core/event.js';
import { createCore, type Core } from '../../runtime/create-runtime.js';
import { loadSimConfig } from '../config.js';
import { startSimulator, type SimulatorHandle } from '../simulator.js';
import type { CncObservation } from './cnc-feed.js';

const CNC1 = 'acme/plant-1/assembly/line-1/cnc-1';
/** Connector id → the suffix of its signals, so both connectors' data can be told apart in one store. */
const CONNECTORS = { 'cnc-stream': '', 'cnc-poll': '-poll' } as const;
type ConnectorId = keyof typeof CONNECTORS;

function bindings(suffix: string): string {
  return [
    `{ dataItemId: cnc-1-execution, equipment: ${CNC1}, signal: execution${suffix}, as: state }`,
    `{ dataItemId: cnc-1-part-count-good, equipment: ${CNC1}, signal: good-count${suffix}, as: count, countKind: good }`,
    `{ dataItemId: cnc-1-part-count-bad, equipment: ${CNC1}, signal: scrap-count${suffix}, as: count, countKind: scrap }`,
    `{ dataItemId: cnc-1-spindle-vib, equipment: ${CNC1}, signal: spindle-vibration${suffix}, as: sample }`,
    `{ dataItemId: cnc-1-system, equipment: ${CNC1}, signal: system${suffix}, as: alarm }`,
  ]
    .map((line) => `      - ${line}`)
    .join('\n');
}

function plantYaml(agentUrl: string): string {
  return `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: assembly
        lines:
          - id: line-1
            equipment: [{ id: cnc-1 }]
connectors:
  - id: cnc-stream
    kind: mtconnect
    url: ${agentUrl}
    intervalMs: 10
    heartbeatMs: 500
    timeoutMs: 3000
    bindings:
${bindings(CONNECTORS['cnc-stream'])}
  - id: cnc-poll
    kind: mtconnect
    url: ${agentUrl}/cnc-1
    mode: poll
    intervalMs: 20
    timeoutMs: 3000
    bindings:
${bindings(CONNECTORS['cnc-poll'])}
`;
}

const iso = (ts: number): string => new Date(ts).toISOString();

/** What the connector must make of the observations, derived from the feed's own record of them. */
function expectedStates(truth: readonly CncObservation[]): Array<{ state: string; at: string }> {
  const states: Array<{ state: string; at: string }> = [];
  for (const observation of truth.filter((entry) => entry.dataItemId === 'cnc-1-execution')) {
    const state = EXECUTION_STATES[observation.value]!;
    if (states.at(-1)?.state !== state) states.push({ state, at: iso(observation.ts) });
  }
  return states;
}

function expectedCounts(truth: readonly CncObservation[], dataItemId: string): Array<{ increment: number; total: number; at: string }> {
  const counts: Array<{ increment: number; total: number; at: string }> = [];
  let previous: number | undefined;
  for (const observation of truth.filter((entry) => entry.dataItemId === dataItemId)) {
    const total = Number(observation.value);
    if (previous !== undefined && total !== previous) counts.push({ increment: total - previous, total, at: iso(observation.ts) });
    previous = total;
  }
  return counts;
}

/** A FAULT raises an alarm per native code; the NORMAL after it clears each. */
function expectedAlarms(truth: readonly CncObservation[], signal: string): string[] {
  const alarms: string[] = [];
  const active: string[] = [];
  for (const observation of truth.filter((entry) => entry.dataItemId === 'cnc-1-system')) {
    const code = observation.condition?.nativeCode ?? '';
    if (observation.condition?.level === 'FAULT' && !active.includes(code)) {
      active.push(code);
      alarms.push(`raised ${signal}:${code} ${iso(observation.ts)}`);
    } else if (observation.condition?.level === 'NORMAL') {
      for (const cleared of active.splice(0)) alarms.push(`cleared ${signal}:${cleared} ${iso(observation.ts)}`);
    }
  }
  return alarms;
}

describe('the demo plant MTConnect agent with the MTConnect connector', () => {
  it('delivers states, counts, vibration and a fault with plant time, streaming and polling, across an agent restart', async () => {
    const before = resourceCounts();
    const config = structuredClone(await loadSimConfig());
    Object.assign(config.endpoints, { opcua: { ...config.endpoints.opcua, port: 0 }, modbus: { ...config.endpoints.modbus, port: 0 }, enterprise: { port: 0 } });
    config.endpoints.mtconnect = { port: 0, bufferSize: 131_072 };
    // The spindle bearing fails ten simulated minutes in and is replaced in three.
    config.bearing.startDay = config.bearing.lifeDays - 10 / 1440;
    config.bearing.repairHours = 0.05;
    config.speed = 600;
    const dir = mkdtempSync(join(tmpdir(), 'pf-sim-mtconnect-'));
    let broker: TestBroker | undefined;
    let sim: SimulatorHandle | undefined;
    let core: Core | undefined;
    try {
      broker = await aedesBroker();
      sim = await startSimulator(config, { brokerUrl: broker.url, run: false });
      const plant = sim;
      const url = plant.endpoints.mtconnect.url;
      const truth: CncObservation[] = plant.cnc.current().filter((observation) => observation.device === 'cnc-1');
      plant.cnc.subscribe((observations) => truth.push(...observations.filter((observation) => observation.device === 'cnc-1')));

      writeFileSync(join(dir, 'plant.yaml'), plantYaml(url));
      core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir });
      const layer = core;
      await layer.connectors.start();
      const health = (id: ConnectorId) => layer.connectors.status().find((status) => status.id === id)!.health;
      const ids = Object.keys(CONNECTORS) as ConnectorId[];
      await until('both connectors connected', () => ids.every((id) => health(id).state === 'connected'), 30_000);
      assert.deepEqual(health('cnc-poll').details?.['devices'], ['Agent', 'cnc-1'], 'the device path probes one device');
      assert.deepEqual(health('cnc-stream').details?.['bindingProblems'], []);

      const agentNext = async (): Promise<number> => Number(/nextSequence="(\d+)"/.exec(await (await fetch(`${url}/current`)).text())![1]);
      const caughtUp = async (what: string): Promise<void> => {
        const next = await agentNext();
        await until(what, () => ids.every((id) => health(id).state === 'connected' && health(id).details?.['nextSequence'] === next), 30_000);
      };

      // 25 simulated minutes by hand: start-up, the bearing failure at +10 min, repair, restart.
      for (let chunk = 0; chunk < 15; chunk += 1) {
        plant.clock.runSteps(100);
        await caughtUp(`connectors caught up after chunk ${chunk}`);
      }
      const fault = truth.find((observation) => observation.condition?.nativeCode === 'spindle-bearing-failure');
      assert.ok(fault !== undefined && fault.ts >= plant.incidents.bearingFailure.at && fault.ts < plant.incidents.bearingFailure.at + config.stepMs, 'the scripted fault happened');

      // The agent restarts: a new instance the connectors must notice; then the plant runs on its own timers.
      const restartedAt = plant.clock.now();
      await plant.stopEndpoint('mtconnect');
      await until('connectors lose the agent', () => ids.every((id) => health(id).state !== 'connected'));
      await plant.startEndpoint('mtconnect');
      assert.equal(plant.status().mtconnect.running, true);
      await until('restart detected', () => ids.every((id) => (health(id).details?.['agentRestarts'] as number) >= 1 && health(id).state === 'connected'), 30_000);
      plant.clock.startTimers();
      await until('five more simulated minutes', () => plant.clock.now() >= restartedAt + 300_000, 30_000);
      plant.clock.stopTimers();
      await caughtUp('connectors caught up after the restart');

      const events = async (type: string, id: ConnectorId): Promise<StoredEvent[]> =>
        (await layer.stores.events.query({ types: [type], equipment: CNC1, limit: 10_000 })).filter((event) => event.source.connector === id);
      for (const id of ids) {
        const suffix = CONNECTORS[id];
        // Every vibration sample, at its simulated time, before and after the restart.
        const points = await layer.stores.historian.range({ equipment: CNC1, signal: `spindle-vibration${suffix}`, from: 0, to: Number.MAX_SAFE_INTEGER });
        const vibration = truth.filter((observation) => observation.dataItemId === 'cnc-1-spindle-vib');
        assert.deepEqual(points, vibration.map((observation) => ({ ts: observation.ts, value: Number(observation.value), quality: 'good' })), `${id}: vibration samples`);
        assert.ok(points.some((point) => point.ts > restartedAt), `${id}: samples after the restart`);

        const states = (await events('equipment.state.changed', id)).map((event) => ({ state: event.data['state'], at: event.occurredAt }));
        assert.deepEqual(states, expectedStates(truth), `${id}: state changes`);
        assert.ok(new Set(states.map((entry) => entry.state)).size >= 3, `${id}: the machine went through several states`);
        assert.equal(states[0]?.at, iso(plant.plant.start), `${id}: the first state at the start instant of plant time`);

        const counts = await events('production.count.recorded', id);
        for (const [kind, dataItemId] of [['good', 'cnc-1-part-count-good'], ['scrap', 'cnc-1-part-count-bad']] as const) {
          const actual = counts.filter((event) => kind in event.data).map((event) => ({ increment: event.data[kind], total: event.data['total'], at: event.occurredAt }));
          assert.deepEqual(actual, expectedCounts(truth, dataItemId), `${id}: ${kind} counts`);
        }
        assert.ok(counts.length >= 10, `${id}: parts were made`);

        const alarms = [...(await events('alarm.raised', id)), ...(await events('alarm.cleared', id))]
          .sort((a, b) => a.position - b.position)
          .map((event) => `${event.type === 'alarm.raised' ? 'raised' : 'cleared'} ${event.data['alarm']} ${event.occurredAt}`);
        assert.deepEqual(alarms, expectedAlarms(truth, `system${suffix}`), `${id}: fault conditions`);
        const raised = (await events('alarm.raised', id)).find((event) => event.data['nativeCode'] === 'spindle-bearing-failure');
        assert.deepEqual(raised?.data, {
          alarm: `system${suffix}:spindle-bearing-failure`,
          severity: 900,
          level: 'fault',
          message: 'spindle-bearing-failure',
          nativeCode: 'spindle-bearing-failure',
          conditionType: 'SYSTEM',
        });
        assert.equal(raised?.occurredAt, iso(fault.ts));

        const details = health(id).details!;
        assert.ok((details['agentRestarts'] as number) >= 1);
        assert.deepEqual([details['gaps'], details['lostObservations'], details['malformedDocuments']], [0, 0, 0], `${id}: nothing lost`);
      }
    } finally {
      await core?.close();
      await sim?.stop();
      await broker?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    await assertNothingLeftBehind(before);
  });
});
