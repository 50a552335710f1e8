/**
 * The OEE engine and query on the real store: when a shift ends the engine emits each machine's, the line's and the
 * area's OEE, equal to the query computed from the log; a late count revises the closed shift; the API serves it and
 * records an operator's stop reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../api/app.js';
import { apiContextOf, createCore } from '../../runtime/create-runtime.js';

const LINE = 'acme/plant-1/assembly/line-1';
const PRESS = `${LINE}/press-1`;
const CNC = `${LINE}/cnc-1`;
const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 0, 5, hour, minute)).toISOString();

const PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    timezone: UTC
    areas:
      - id: assembly
        lines: [{ id: line-1, equipment: [{ id: press-1, class: press }, { id: cnc-1, class: cnc }] }]
equipmentClasses:
  - { id: press, idealCycleTimeSeconds: 20 }
  - { id: cnc, idealCycleTimeSeconds: 60 }
shifts:
  - { id: early, start: "06:00", end: "14:00" }
  - { id: late, start: "14:00", end: "22:00" }
oee: { graceMinutes: 5, rollingMinutes: 0, plannedReasons: [break] }
users:
  - id: ada
    name: Ada
    grants: [{ role: admin, areas: ['*'] }]
`;

function state(equipment: string, time: string, value: string, reason?: string) {
  return { type: 'equipment.state.changed', occurredAt: time, source: { system: 'plc' }, subject: { equipment }, data: { state: value, ...(reason === undefined ? {} : { reason }) } };
}
function count(equipment: string, time: string, good: number, scrap = 0) {
  return { type: 'production.count.recorded', occurredAt: time, source: { system: 'plc' }, subject: { equipment }, data: { good, scrap } };
}

describe('OEE engine and query', () => {
  it('emits each scope\'s shift OEE equal to the query from the log, and revises it on late data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-oee-'));
    writeFileSync(join(dir, 'plant.yaml'), PLANT);
    const core = await createCore({ configFile: join(dir, 'plant.yaml'), dataDir: dir, now: () => Date.parse(at(23)) });
    try {
      await core.engines.start();
      await core.pipeline.ingestValue([
        state(PRESS, at(6), 'execute'),
        state(CNC, at(6), 'execute'),
        count(PRESS, at(8), 600, 20),
        state(PRESS, at(9), 'faulted', 'hydraulics'),
        state(PRESS, at(9, 45), 'execute'),
        state(CNC, at(10), 'stopped', 'break'),
        state(CNC, at(10, 30), 'execute'),
        count(CNC, at(12), 300, 0),
        count(PRESS, at(13), 400, 10),
        // Late-shift activity past the grace period closes the early shift.
        state(PRESS, at(14, 10), 'idle'),
      ]);
      await core.engines.waitForIdle();
      const intervals = async () => (await core.stores.events.query({ types: ['oee.interval.computed'] })).filter((event) => event.data['shift'] === 'early');
      const early = await intervals();
      assert.deepEqual(early.map((event) => [event.data['scope'], event.data['level'], event.data['revision']]), [
        [CNC, 'equipment', 0], [PRESS, 'equipment', 0], [LINE, 'line', 0], ['acme/plant-1/assembly', 'area', 0],
      ]);
      const fromLog = await core.oee.query({ scope: LINE, from: Date.parse(at(6)), to: Date.parse(at(14)) });
      const emittedLine = early.find((event) => event.data['scope'] === LINE)!.data;
      for (const key of ['availability', 'performance', 'quality', 'oee', 'plannedBusySeconds', 'actualProductionSeconds', 'producedQuantity'] as const) {
        assert.equal(emittedLine[key], fromLog.total[key], key);
      }
      // Hand-checked: press down 45 min (hydraulics), cnc's 30 min break is planned; PBT = 8 h + 7.5 h.
      assert.equal(fromLog.total.plannedBusySeconds, 8 * 3600 + 7.5 * 3600);
      assert.equal(fromLog.total.actualProductionSeconds, 7.25 * 3600 + 7.5 * 3600);
      assert.deepEqual(fromLog.total.downtimeByReason, { hydraulics: 2700 });
      assert.equal(fromLog.total.producedQuantity, 1330);
      assert.equal(fromLog.units.length, 2);

      // A count from the early shift arrives late: the closed shift is revised for the press and its line and area.
      await core.pipeline.ingestValue(count(PRESS, at(13, 30), 50));
      await core.engines.waitForIdle();
      const revised = (await intervals()).filter((event) => event.data['revision'] === 1);
      assert.deepEqual(revised.map((event) => event.data['scope']).sort(), [PRESS, LINE, 'acme/plant-1/assembly'].sort());
      assert.equal(revised.find((event) => event.data['scope'] === PRESS)!.data['producedQuantity'], 1080);

      const app = await buildApp(apiContextOf(core), { webUi: false });
      try {
        const token = `Bearer ${(await core.auth.createToken('ada', 'oee')).token}`;
        const response = await app.inject({ url: `/api/v1/oee?scope=${encodeURIComponent(LINE)}&from=${at(6)}&to=${at(22)}`, headers: { authorization: token } });
        assert.equal(response.statusCode, 200, response.body);
        const body = response.json() as { shifts: Array<{ shift: string; producedQuantity: number }> };
        assert.deepEqual(body.shifts.map((shift) => shift.shift), ['early', 'late']);
        assert.equal(body.shifts[0]!.producedQuantity, 1380);
        const reason = await app.inject({ method: 'POST', url: '/api/v1/oee/downtime-reasons', headers: { authorization: token }, payload: { equipment: PRESS, reason: 'die-change', stopStartedAt: at(9, 10) } });
        assert.equal(reason.statusCode, 201, reason.body);
        const relabelled = await core.oee.query({ scope: PRESS, from: Date.parse(at(6)), to: Date.parse(at(14)) });
        assert.deepEqual(relabelled.total.downtimeByReason, { 'die-change': 2700 }, 'the operator\'s reason replaces the machine\'s');
        await core.engines.waitForIdle();
        const relabelledByEngine = (await intervals()).filter((event) => event.data['scope'] === PRESS && event.data['revision'] === 2);
        assert.deepEqual(relabelledByEngine[0]?.data['downtimeByReason'], { 'die-change': 2700 }, 'and the engine revises the closed shift');
        assert.equal((await app.inject({ url: `/api/v1/oee?scope=nope`, headers: { authorization: token } })).statusCode, 404);
      } finally {
        await app.close();
      }
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
