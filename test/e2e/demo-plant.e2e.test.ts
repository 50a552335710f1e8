/**
 * The demo plant end to end, as `npm start` runs it (free ports, a fresh data folder, high speed): within a minute
 * the API shows machines in live states over OPC UA, Sparkplug B and MTConnect, utility samples over Modbus and work
 * orders from ERP; over a simulated early shift the story appears as canonical events with the right equipment and
 * work order — the stopped press, the drifting bore diameter, the misplaced torque wrench; and killing the OPC UA
 * server mid-run takes only its connector down, and back up, while the rest of the plant keeps flowing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { StoredEvent } from '../../src/core/event.js';
import { startDemo, type DemoHandle } from '../../src/runtime/demo.js';
import { recomputeLineOee } from '../support/independent-oee.js';
import { until } from '../support/wait.js';

const LINE_1 = 'acme/plant-1/assembly/line-1';
const LINE_2 = 'acme/plant-1/assembly/line-2';
const SPEED = 480;
/** 06:00 local on the demo's Monday; the early shift ends at 14:00 local. */
const local = (hour: number, minute = 0) => Date.UTC(2026, 0, 5, hour - 1, minute);

async function api<T>(demo: DemoHandle, token: string, path: string): Promise<T> {
  const response = await fetch(`${demo.runtime.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return (await response.json()) as T;
}

async function events(demo: DemoHandle, query: Parameters<DemoHandle['runtime']['stores']['events']['query']>[0]): Promise<StoredEvent[]> {
  return demo.runtime.stores.events.query({ limit: 10_000, ...query });
}

describe('the demo plant, end to end', () => {
  it('shows the live plant within a minute, tells the story of a shift, and survives a dead endpoint', { timeout: 600_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-demo-e2e-'));
    const startedAt = Date.now();
    const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: SPEED });
    try {
      const token = (await demo.runtime.auth.createToken('ada', 'e2e')).token;

      // Within 60 s of the command: live states from each machine protocol, utility samples, ERP orders.
      type Status = { equipment: Array<{ equipment: string; state?: string; connector?: string }> };
      const live = await until('machines live over OPC UA, Sparkplug B and MTConnect', async () => {
        const status = await api<Status>(demo, token, '/api/v1/plant/status');
        const connectors = new Set(status.equipment.filter((entry) => entry.state !== undefined).map((entry) => entry.connector));
        return ['line-1-opcua', 'line-2-sparkplug', 'cnc-agent'].every((connector) => connectors.has(connector)) ? status : undefined;
      }, 60_000 - (Date.now() - startedAt));
      assert.ok(live.equipment.length >= 10);
      const series = await api<{ series: Array<{ equipment: string; signal: string; count: number }> }>(demo, token, '/api/v1/samples/series?equipment=acme/plant-1/utilities');
      assert.ok(series.series.some((entry) => entry.signal === 'pressure' && entry.count > 0), 'compressor pressure over Modbus in the historian');
      await until('work orders from ERP', async () => (await events(demo, { types: ['work-order.released'] })).length > 0 || undefined, 60_000);
      assert.ok(Date.now() - startedAt < 60_000, `the plant was live after ${Date.now() - startedAt} ms`);

      // The press-1 long stop (06:20–06:40 local) while WO-10001 runs.
      await until('press-1 stop', async () => (await events(demo, { equipment: `${LINE_1}/press-1`, types: ['equipment.state.changed'] })).find((event) => event.data['state'] === 'faulted'), 120_000);
      const stop = (await events(demo, { equipment: `${LINE_1}/press-1`, types: ['equipment.state.changed'] })).find((event) => event.data['state'] === 'faulted' && Date.parse(event.occurredAt) >= local(6, 19))!;
      assert.equal(stop.subject.workOrder, 'WO-10001', 'the stop knows the order it stopped');
      const reason = (await events(demo, { equipment: `${LINE_1}/press-1`, types: ['downtime.reason.recorded'] })).find((event) => event.occurredAt === stop.occurredAt);
      assert.equal(reason?.data['reason'], 'die-change-overrun');
      const faultCase = await until('a maintenance case for the stop', async () => {
        const cases = await demo.runtime.stores.operations.findCases<{ equipment?: string; workOrder?: string; owner?: string; context?: { running?: { workOrder: string } } }>({ kind: 'machine-fault' });
        return cases.find((entry) => entry.doc.equipment === `${LINE_1}/press-1`);
      }, 60_000);
      assert.equal(faultCase.doc.context?.running?.workOrder, 'WO-10001');
      assert.equal(faultCase.owner, 'mike', 'the on-shift maintenance technician of assembly');

      // The misplaced torque wrench (left in line 2 at 06:05, misplaced after 10 minutes there).
      const misplaced = await until('torque-wrench-7 misplaced', async () => (await events(demo, { types: ['location.tag.misplaced'] })).find((event) => event.data['tag'] === 'torque-wrench-7'), 120_000);
      assert.equal(misplaced.subject.equipment, LINE_2);
      assert.match(misplaced.subject.workOrder ?? '', /^WO-\d+$/, 'tied to an order running on line 2');

      // Kill the OPC UA server mid-shift: its connector goes down and comes back; Sparkplug keeps flowing meanwhile.
      await until('plant time past 09:00', () => demo.sim.clock.now() > local(9) || undefined, 300_000);
      const opcua = () => demo.runtime.connectors.status().find((status) => status.id === 'line-1-opcua')!.health;
      await demo.sim.stopEndpoint('opcua');
      await until('OPC UA connector disconnected', () => opcua().state === 'disconnected' || opcua().state === 'connecting' || undefined, 60_000);
      const line2Before = (await events(demo, { equipment: LINE_2, from: demo.sim.clock.now() - 60_000 })).length;
      await until('line 2 keeps flowing', async () => (await events(demo, { equipment: LINE_2, from: demo.sim.clock.now() - 600_000 })).length > line2Before || undefined, 60_000);
      await demo.sim.startEndpoint('opcua');
      await until('OPC UA connector back', () => opcua().state === 'connected' || undefined, 120_000);
      assert.ok(opcua().lastError !== undefined, 'the outage is recorded as its last error');

      // The drifting bore diameter on test-1: every measurement carries its order; the mean rises as the tool wears.
      await until('plant time past the end of the early shift', () => demo.sim.clock.now() > local(14, 5) || undefined, 400_000);
      const bores = (await events(demo, { equipment: `${LINE_1}/test-1`, types: ['quality.measurement.recorded'], from: local(6), to: local(14) })).filter((event) => event.data['characteristic'] === 'bore-diameter');
      assert.ok(bores.length > 100, `${bores.length} bore measurements`);
      assert.ok(bores.every((event) => /^WO-\d+$/.test(event.subject.workOrder ?? '')), 'every measurement knows its order');
      // The boring tool wears: within each tool life the mean climbs several sigma (a sawtooth reset by tool changes).
      const values = bores.map((event) => Number(event.data['value']));
      const blockMeans: number[] = [];
      for (let index = 0; index + 20 <= values.length; index += 20) blockMeans.push(values.slice(index, index + 20).reduce((sum, value) => sum + value, 0) / 20);
      const spread = Math.max(...blockMeans) - Math.min(...blockMeans);
      assert.ok(spread > 0.02, `the mean moved by ${spread.toFixed(4)} mm (sigma 0.004)`);

      // Line 1's OEE for the early shift, as the engine emitted it, equals an independent recomputation from raw events.
      const shiftEnd = local(14);
      await until('line 1 early-shift OEE', async () =>
        (await events(demo, { types: ['oee.interval.computed'], equipment: LINE_1 })).find((event) => event.data['scope'] === LINE_1 && event.data['shift'] === 'early' && event.data['final'] === true),
      120_000);
      await demo.runtime.engines.waitForIdle();
      const emitted = (await events(demo, { types: ['oee.interval.computed'], equipment: LINE_1 }))
        .filter((event) => event.data['scope'] === LINE_1 && event.data['shift'] === 'early' && event.data['final'] === true)
        .sort((a, b) => Number(b.data['revision']) - Number(a.data['revision']))[0]!;
      const machines = ['press-1', 'cnc-1', 'weld-1', 'assembly-1', 'test-1'].map((id) => `${LINE_1}/${id}`);
      const raw = await events(demo, { equipment: LINE_1, types: ['equipment.state.changed', 'production.count.recorded', 'downtime.reason.recorded'], to: shiftEnd + 3_600_000 });
      const expected = recomputeLineOee(raw, {
        machines,
        from: local(6),
        to: shiftEnd,
        idealCycleSeconds: { press: 26, cnc: 36, weld: 33, assembly: 34, test: 28 },
        microStopSeconds: 120,
        setupReasons: ['die-change-overrun'],
      });
      for (const key of ['availability', 'performance', 'quality', 'oee'] as const) {
        assert.ok(Math.abs(Number(emitted.data[key]) - expected[key]) < 1e-9, `line 1 early-shift ${key}: engine ${String(emitted.data[key])}, recomputed ${expected[key]}`);
      }
      assert.ok(expected.oee > 0.3 && expected.oee < 1, `a plausible OEE: ${expected.oee}`);
    } finally {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
