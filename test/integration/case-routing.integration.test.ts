/**
 * Routing signals into cases on the real core (SQLite, pipeline, bus, context engine) with plant time running fast:
 * a held fault opens one assigned case with its context, a fault cleared before its hold opens nothing, a chattering
 * alarm becomes one counted case, and a hold pending at a restart still opens exactly one case.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { NotificationRequest } from '../../src/core/notifications.js';
import { NotFoundError } from '../../src/core/errors.js';
import { createCaseOperations } from '../../src/operations/cases/index.js';
import { HOLD_REF } from '../../src/operations/cases/sla-clock.js';
import { createCore } from '../../src/runtime/create-runtime.js';
import { allCases, CNC, EARLY_MORNING, fastClock, ingest, MINUTE, plantEvent, PRESS, startCaseCore, untilPlantTime, WELD, writeCasePlant } from '../support/case-plant.js';
import { until } from '../support/wait.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('routing signals into cases', () => {
  const plants: Array<{ remove(): void }> = [];
  after(() => plants.forEach((plant) => plant.remove()));

  it('opens exactly one case for a fault held longer than holdFor, assigned within SLA to the on-shift maintenance technician, with the running order, lot and downstream orders', async () => {
    const plant = writeCasePlant();
    plants.push(plant);
    const clock = fastClock(EARLY_MORNING, 600);
    const core = await startCaseCore(plant, clock);
    try {
      const t0 = clock.now();
      await ingest(core, [
        plantEvent('work-order.released', t0 - 60 * MINUTE, { workOrder: 'WO-1' }, {
          quantity: 100,
          dueAt: iso(t0 + 6 * 60 * MINUTE),
          operations: [{ operation: '10', equipment: PRESS, minutes: 120 }, { operation: '20', equipment: CNC, minutes: 60 }],
        }),
        plantEvent('work-order.released', t0 - 50 * MINUTE, { workOrder: 'WO-2' }, {
          quantity: 50,
          dueAt: iso(t0 + 8 * 60 * MINUTE),
          operations: [{ operation: '10', equipment: PRESS, minutes: 30 }, { operation: '20', equipment: WELD, minutes: 30 }],
        }),
        plantEvent('work-order.operation.started', t0 - 30 * MINUTE, { workOrder: 'WO-1', operation: '10', equipment: PRESS, lot: 'LOT-7' }),
      ]);
      const faultAt = clock.now();
      await ingest(core, [plantEvent('equipment.state.changed', faultAt, { equipment: PRESS }, { state: 'faulted', reason: 'jam' })]);
      // The PLC reports the fault again during the hold: same condition, same case.
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted', reason: 'jam' })]);

      await until('the case opens', async () => (await allCases(core)).length > 0);
      await untilPlantTime(clock, faultAt + 10 * MINUTE, 'ten plant minutes after the fault');
      await core.cases.idle();
      const cases = await allCases(core);
      assert.equal(cases.length, 1, 'exactly one case');
      const [opened] = cases;
      assert.ok(opened !== undefined);
      assert.equal(opened.kind, 'machine-fault');
      assert.equal(opened.equipment, PRESS);
      assert.equal(opened.area, 'assembly');
      assert.equal(opened.owner, 'mike', 'the maintenance technician on the early shift');
      assert.ok(Date.parse(opened.openedAt) >= faultAt + 2 * MINUTE, 'not before the fault had held for 2 minutes');
      assert.ok(opened.assignedAt !== undefined && Date.parse(opened.assignedAt) - Date.parse(opened.openedAt) <= MINUTE, 'assigned within the 1-minute assign SLA');
      assert.ok(!opened.sla.breached.some((breach) => breach.target === 'assign'), 'no assign breach');
      assert.equal(opened.events.count, 2, 'the repeated fault report was merged and counted');
      assert.equal(opened.condition?.active, true);
      assert.equal(opened.workOrder, 'WO-1');

      const context = opened.context;
      assert.ok(context !== undefined, opened.contextError ?? 'a context was resolved');
      assert.equal(context.running?.workOrder, 'WO-1');
      assert.equal(context.running?.lot, 'LOT-7');
      assert.ok(context.orders.some((order) => order.workOrder === 'WO-1' && order.relation === 'downstream' && order.equipment === CNC), JSON.stringify(context.orders));
      assert.ok(context.orders.some((order) => order.workOrder === 'WO-2'), 'the order waiting for the press is affected too');

      const request = await core.stores.operations.getOutbox(`${opened.id}:1:assigned`);
      assert.equal(request?.channel, 'notify');
      const payload = request?.payload as unknown as NotificationRequest;
      assert.deepEqual(payload.recipients, ['mike']);
      assert.equal(payload.caseId, opened.id);

      const logged = await core.stores.events.query({ types: ['case.opened', 'case.assigned'] });
      assert.deepEqual(logged.map((event) => [event.type, event.subject.case, event.subject.equipment]), [
        ['case.opened', opened.id, PRESS],
        ['case.assigned', opened.id, PRESS],
      ]);
      const audit = await core.stores.audit.query({ subjectKind: 'case', subjectId: opened.id });
      assert.deepEqual(audit.slice(0, 2).map((entry) => entry.action), ['case.opened', 'case.assigned']);
    } finally {
      await core.close();
    }
  });

  it('opens nothing for a fault cleared before holdFor, while an uncleared fault still opens its case', async () => {
    const plant = writeCasePlant();
    plants.push(plant);
    const clock = fastClock(EARLY_MORNING, 120);
    const core = await startCaseCore(plant, clock);
    try {
      const faultAt = clock.now();
      await ingest(core, [plantEvent('equipment.state.changed', faultAt, { equipment: PRESS }, { state: 'faulted' })]);
      await ingest(core, [plantEvent('equipment.state.changed', faultAt + 30_000, { equipment: PRESS }, { state: 'execute', previousState: 'faulted' })]);
      await ingest(core, [plantEvent('equipment.state.changed', faultAt, { equipment: CNC }, { state: 'faulted' })]);
      await until('the uncleared fault opens its case', async () => (await allCases(core)).length > 0);
      await untilPlantTime(clock, faultAt + 4 * MINUTE, 'the press hold would have run out twice over');
      await core.cases.idle();
      const cases = await allCases(core);
      assert.deepEqual(cases.map((doc) => doc.equipment), [CNC], 'only the CNC fault became a case');
      assert.deepEqual(await core.stores.operations.timersFor(HOLD_REF), [], 'no hold left pending');
    } finally {
      await core.close();
    }
  });

  it('makes one case with a count of 500 from 500 alarm events of one chattering sensor within the window', async () => {
    const plant = writeCasePlant();
    plants.push(plant);
    const clock = fastClock(EARLY_MORNING, 10);
    const core = await startCaseCore(plant, clock);
    try {
      const start = clock.now();
      // Raised and cleared 500 times over ~8 minutes, in submissions of 50 like a connector's batches.
      for (let batch = 0; batch < 10; batch += 1) {
        const events = [];
        for (let index = 0; index < 50; index += 1) {
          const at = start + (batch * 50 + index) * 1000;
          events.push(plantEvent('alarm.raised', at, { equipment: PRESS }, { alarm: 'LS-101-HI', severity: 600 }));
          events.push(plantEvent('alarm.cleared', at + 500, { equipment: PRESS }, { alarm: 'LS-101-HI' }));
        }
        await ingest(core, events);
      }
      await ingest(core, [plantEvent('alarm.raised', start, { equipment: PRESS }, { alarm: 'PT-7-LO' })]);
      await until('both alarms have cases and the flood is fully counted', async () => {
        const cases = await allCases(core);
        return cases.length === 2 && cases.some((doc) => doc.events.count === 500);
      });
      await core.cases.idle();
      const cases = await allCases(core);
      assert.equal(cases.length, 2, 'one case per sensor alarm, not one per event');
      const flood = cases.find((doc) => doc.title.includes('LS-101-HI'));
      assert.equal(flood?.events.count, 500);
      assert.equal(flood?.condition?.active, false, 'the last event cleared it');
      assert.equal(cases.find((doc) => doc.title.includes('PT-7-LO'))?.events.count, 1);
      assert.equal((await core.stores.events.query({ types: ['case.opened'] })).length, 2);
    } finally {
      await core.close();
    }
  });

  it('keeps a pending hold across a restart and opens exactly one case after it', async () => {
    const plant = writeCasePlant();
    plants.push(plant);
    const first = fastClock(EARLY_MORNING, 10);
    const core = await startCaseCore(plant, first);
    const faultAt = first.now();
    try {
      await ingest(core, [plantEvent('equipment.state.changed', faultAt, { equipment: PRESS }, { state: 'faulted' })]);
      await until('the hold is stored', async () => (await core.stores.operations.timersFor(HOLD_REF)).length === 1);
      assert.deepEqual(await allCases(core), [], 'still holding');
    } finally {
      await core.close();
    }
    // Down for a while: the hold ran out meanwhile, so it fires as the core starts again.
    const later = fastClock(faultAt + 3 * MINUTE, 10);
    const again = await startCaseCore(plant, later);
    try {
      await until('the held case opens after the restart', async () => (await allCases(again)).length === 1);
      assert.deepEqual(await again.stores.operations.timersFor(HOLD_REF), []);
    } finally {
      await again.close();
    }
    const third = await startCaseCore(plant, fastClock(faultAt + 5 * MINUTE, 10));
    try {
      await third.cases.idle();
      const cases = await allCases(third);
      assert.equal(cases.length, 1, 'a second restart opens nothing more');
      assert.equal(cases[0]?.owner, 'mike');
      assert.equal((await third.stores.events.query({ types: ['case.opened'] })).length, 1);
    } finally {
      await third.close();
    }
  });

  it('opens and assigns the case even when the context cannot be resolved, keeping the reason', async () => {
    const plant = writeCasePlant();
    plants.push(plant);
    const clock = fastClock(EARLY_MORNING, 600);
    const core = await createCore({ configFile: plant.configFile, dataDir: plant.dataDir, clock });
    // A resolver that fails stands in for the context engine; everything else is the real core.
    const cases = createCaseOperations({
      stores: core.stores,
      bus: core.bus,
      appendDerived: (events) => core.pipeline.appendDerived(events),
      plant: core.plant,
      clock,
      context: { resolve: async () => { throw new NotFoundError('PF_ERR_NOT_FOUND', 'no such equipment in the context book'); } },
    });
    await cases.start();
    try {
      await ingest(core, [plantEvent('alarm.raised', clock.now(), { equipment: PRESS }, { alarm: 'TT-3-HI' })]);
      const [opened] = await until('the case opens', async () => {
        const found = await cases.list({});
        return found.length > 0 && found;
      });
      assert.equal(opened?.owner, 'mike');
      assert.equal(opened?.context, undefined);
      assert.match(opened?.contextError ?? '', /no such equipment/);
      assert.equal(opened?.urgency.level, 'medium', 'urgency falls back to the rule severity');
    } finally {
      await cases.stop();
      await core.close();
    }
  });
});
