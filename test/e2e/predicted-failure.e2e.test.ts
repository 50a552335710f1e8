/**
 * Predictive maintenance on the demo plant, end to end (free ports, a fresh data folder, high speed): cnc-1's spindle
 * bearing degrades exponentially towards failure at 11 mm/s. The maintenance engine fits the trend of the vibration
 * that arrives over MTConnect, and once the earliest plausible failure is inside its 24 h horizon it emits
 * `maintenance.failure.predicted` with a proposed order, which routing (rule `predicted-failure`) turns into a case —
 * before the simulator fails the bearing and faults cnc-1 with reason spindle-bearing-failure.
 *
 * The demo's bearing fails two simulated days in; here it starts at day 4.6 of its 5-day life (simOverrides), so it
 * fails 9.6 simulated hours after the start, about a real minute at this speed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaseDoc } from '../../src/core/cases.js';
import { startDemo } from '../../src/runtime/demo.js';
import { until } from '../support/wait.js';

const CNC_1 = 'acme/plant-1/assembly/line-1/cnc-1';
const SPEED = 600;
const START_DAY = 4.6;
const HOUR = 3_600_000;

describe('predictive maintenance on the demo plant', () => {
  it('opens a predicted-failure case with a proposed order before the bearing fails', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-pdm-e2e-'));
    const startedAt = Date.now();
    const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: SPEED, simOverrides: { bearing: { startDay: START_DAY } } });
    try {
      const failure = demo.sim.incidents.bearingFailure;
      const start = demo.sim.clock.start;
      assert.equal(failure.machine, 'cnc-1');
      assert.ok(Math.abs(failure.at - start - (5 - START_DAY) * 24 * HOUR) < 60_000, 'the override moved the failure 9.6 h after the start');

      const predicted = await until('a predicted-failure case for cnc-1', async () => {
        const cases = await demo.runtime.stores.operations.findCases<CaseDoc>({ kind: 'predicted-failure' });
        return cases.find((entry) => entry.doc.equipment === CNC_1);
      }, 150_000);
      const opened = Date.parse(predicted.doc.openedAt);
      assert.ok(opened < failure.at, `opened ${((failure.at - opened) / HOUR).toFixed(1)} h before the failure`);
      assert.equal(predicted.doc.rule, 'predicted-failure');

      // The case was raised by the engine's prediction, and that carries the proposed maintenance order.
      const trigger = (await demo.runtime.stores.events.query({ types: ['maintenance.failure.predicted'], equipment: CNC_1 })).find((event) => event.id === predicted.doc.events.first.id);
      assert.ok(trigger !== undefined, 'the case links the maintenance.failure.predicted that opened it');
      assert.equal(trigger.data['signal'], 'spindle-vibration');
      const lower = trigger.data['rulLowerHours'] as number;
      const upper = trigger.data['rulUpperHours'] as number;
      assert.ok(lower < 24, `earliest plausible failure inside the horizon: ${lower} h`);
      const truth = (failure.at - Date.parse(trigger.occurredAt)) / HOUR;
      assert.ok(lower <= truth && truth <= upper, `the true remaining life ${truth.toFixed(2)} h lies in [${lower}, ${upper}] h`);
      const order = trigger.data['proposedMaintenanceOrder'] as { equipment: string; description: string; priority: string; dueBy: string; type: string };
      assert.equal(order.equipment, CNC_1);
      assert.equal(order.type, 'predictive');
      assert.match(order.description, /^Replace the spindle bearing: spindle-vibration is predicted to reach 11 in /);
      assert.ok(['medium', 'high', 'emergency'].includes(order.priority));
      assert.ok(Date.parse(order.dueBy) < failure.at, 'the order is due before the bearing fails');

      // Then the bearing fails as the simulator said, and cnc-1 faults with the bearing's reason.
      const fault = await until('cnc-1 faulted with spindle-bearing-failure', async () => {
        const reasons = await demo.runtime.stores.events.query({ equipment: CNC_1, types: ['downtime.reason.recorded'], from: failure.at - 60_000 });
        return reasons.find((event) => event.data['reason'] === failure.reason);
      }, 200_000);
      assert.ok(Date.parse(fault.occurredAt) >= failure.at - 2000, 'the fault is the simulated failure');
      assert.ok(Date.parse(trigger.occurredAt) < Date.parse(fault.occurredAt));
      console.log(`predicted-failure e2e: case ${((failure.at - opened) / HOUR).toFixed(1)} h ahead of the failure; ${((Date.now() - startedAt) / 1000).toFixed(0)} s real time`);
    } finally {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
