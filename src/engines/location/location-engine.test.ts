import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import type { DerivedEventInput, EngineContext } from '../../core/engine.js';
import type { EventSubject, StoredEvent } from '../../core/event.js';
import { eventTypeInfo } from '../../core/event-types.js';
import { locationConfigOf, type LocationEngineConfig } from './location-config.js';
import { locationEngine, type LocationState } from './location-engine.js';

const LINE_1 = 'acme/plant-1/assembly/line-1';
const LINE_2 = 'acme/plant-1/assembly/line-2';
const at = (minute: number, second = 0): string => new Date(Date.UTC(2026, 0, 5, 5, minute, second)).toISOString();

const config: LocationEngineConfig = locationConfigOf({
  zones: [
    { id: 'line-1', equipment: LINE_1, rect: { x: [40, 95], y: [4, 20] } },
    { id: 'line-2', equipment: LINE_2, rect: { x: [40, 95], y: [30, 46] } },
    { id: 'line-1-crib', rect: { x: [96, 104], y: [4, 12] } },
    { id: 'walkway', rect: { x: [25, 120], y: [52, 56] } },
  ],
  tags: [
    { id: 'torque-wrench-7', kind: 'tool', home: 'line-1-crib', allowedZones: ['line-1'] },
    { id: 'forklift-1', kind: 'forklift', name: 'Forklift 1' },
  ],
  restricted: [{ zone: 'walkway', kinds: ['forklift'], severity: 'critical' }],
});

let position = 0;
function event(type: string, occurredAt: string, subject: EventSubject, data: Record<string, unknown> = {}, quality: StoredEvent['quality'] = 'good'): StoredEvent {
  position += 1;
  return { id: `e-${position}`, position, type, occurredAt, receivedAt: occurredAt, source: { system: 'test' }, subject, data, quality };
}
const report = (tag: string, time: string, x: number, y: number, quality: StoredEvent['quality'] = 'good'): StoredEvent =>
  event('location.position.reported', time, {}, { tag, x, y, z: 1 }, quality);
const started = (equipment: string, workOrder: string, time: string): StoredEvent => event('work-order.operation.started', time, { equipment, workOrder });
const completed = (equipment: string, workOrder: string, time: string): StoredEvent => event('work-order.operation.completed', time, { equipment, workOrder });

/** Runs events through the engine as the host would, collecting what it emits. */
function run(events: readonly StoredEvent[]): DerivedEventInput[] {
  const emitted: DerivedEventInput[] = [];
  const state = locationEngine.createState!(config);
  const context: EngineContext<LocationEngineConfig, LocationState> = { config, state, replaying: false, emit: (output) => emitted.push(output) };
  for (const input of events) void locationEngine.handle(input, context);
  return emitted;
}

describe('location engine', () => {
  it('emits zone entries and exits with the zone as location, its equipment, and the dwell', () => {
    const emitted = run([report('forklift-1', at(0), 60, 10), report('forklift-1', at(2, 30), 60, 25)]);
    assert.deepEqual(emitted.map((output) => output.type), ['location.zone.entered', 'location.zone.exited']);
    assert.deepEqual(emitted[0]!.subject, { location: 'line-1', equipment: LINE_1 });
    assert.deepEqual(emitted[0]!.data, { tag: 'forklift-1', kind: 'forklift', name: 'Forklift 1', zone: 'line-1', x: 60, y: 10, z: 1 });
    assert.equal(emitted[1]!.occurredAt, at(2, 30));
    assert.equal(emitted[1]!.data!['dwellSeconds'], 150);
    assert.equal(emitted[1]!.data!['enteredAt'], at(0));
  });

  it('ties a restricted-zone breach to nothing when the zone has no equipment, and marks it a safety event', () => {
    const emitted = run([started(`${LINE_1}/press-1`, 'WO-1', at(0)), report('forklift-1', at(1), 45, 50), report('forklift-1', at(2), 45, 54)]);
    const breach = emitted.find((output) => output.type === 'location.restricted.entered')!;
    assert.deepEqual(breach.subject, { location: 'walkway' });
    assert.deepEqual(breach.data, { tag: 'forklift-1', kind: 'forklift', name: 'Forklift 1', zone: 'walkway', severity: 'critical', safety: true, x: 45, y: 54, z: 1 });
    assert.equal(emitted.find((output) => output.type === 'location.zone.entered')!.data!['restricted'], true);
  });

  it('puts the order most recently started on the line\'s machines into the misplaced tool\'s subject', () => {
    const emitted = run([
      started(`${LINE_2}/press-2`, 'WO-20', at(0)),
      started(`${LINE_2}/assembly-2`, 'WO-21', at(1)),
      started(`${LINE_1}/press-1`, 'WO-10', at(2)),
      report('torque-wrench-7', at(3), 100, 8),
      report('torque-wrench-7', at(4), 72, 38),
      report('torque-wrench-7', at(10), 72, 38),
      report('torque-wrench-7', at(14, 10), 72, 38),
    ]);
    const misplaced = emitted.filter((output) => output.type === 'location.tag.misplaced');
    assert.equal(misplaced.length, 1);
    assert.equal(misplaced[0]!.occurredAt, at(14));
    assert.deepEqual(misplaced[0]!.subject, { location: 'line-2', equipment: LINE_2, workOrder: 'WO-21' });
    assert.equal(misplaced[0]!.data!['runningOn'], `${LINE_2}/assembly-2`);
    assert.equal(misplaced[0]!.data!['outsideSince'], at(4));
    assert.equal(misplaced[0]!.data!['zone'], 'line-2');
    assert.equal(misplaced[0]!.data!['home'], 'line-1-crib');
  });

  it('falls back to the order still running when the newer one completed, and to none when all did', () => {
    const base = [started(`${LINE_2}/press-2`, 'WO-20', at(0)), started(`${LINE_2}/assembly-2`, 'WO-21', at(1)), completed(`${LINE_2}/assembly-2`, 'WO-21', at(2))];
    const tool = [report('torque-wrench-7', at(3), 100, 8), report('torque-wrench-7', at(4), 72, 38), report('torque-wrench-7', at(15), 72, 38)];
    const one = run([...base, ...tool]).find((output) => output.type === 'location.tag.misplaced')!;
    assert.equal(one.subject!.workOrder, 'WO-20');
    const none = run([...base, completed(`${LINE_2}/press-2`, 'WO-20', at(2, 30)), ...tool]).find((output) => output.type === 'location.tag.misplaced')!;
    assert.equal(none.subject!.workOrder, undefined);
  });

  it('emits the return with away and misplaced time', () => {
    const emitted = run([report('torque-wrench-7', at(0), 100, 8), report('torque-wrench-7', at(1), 72, 38), report('torque-wrench-7', at(20), 72, 38), report('torque-wrench-7', at(31), 100, 8)]);
    const returned = emitted.find((output) => output.type === 'location.tag.returned')!;
    assert.deepEqual(returned.subject, { location: 'line-1-crib' });
    assert.equal(returned.data!['awaySeconds'], 30 * 60);
    assert.equal(returned.data!['misplacedSeconds'], 20 * 60);
  });

  it('ignores bad-quality reports and reports without coordinates', () => {
    const emitted = run([report('forklift-1', at(0), 60, 10), report('forklift-1', at(1), 60, 40, 'bad'), event('location.position.reported', at(2), {}, { tag: 'forklift-1', x: 'far' })]);
    assert.deepEqual(emitted.map((output) => output.type), ['location.zone.entered']);
  });

  it('emits only catalogue types whose data fits the catalogue schema', () => {
    const emitted = run([
      started(`${LINE_2}/press-2`, 'WO-20', at(0)),
      report('torque-wrench-7', at(0), 100, 8), report('torque-wrench-7', at(1), 72, 38), report('torque-wrench-7', at(20), 72, 38), report('torque-wrench-7', at(31), 100, 8),
      report('forklift-1', at(0), 45, 50), report('forklift-1', at(1), 45, 54), report('forklift-1', at(2), 45, 50),
    ]);
    assert.deepEqual(new Set(emitted.map((output) => output.type)), new Set(['location.zone.entered', 'location.zone.exited', 'location.tag.misplaced', 'location.tag.returned', 'location.restricted.entered']));
    for (const output of emitted) {
      const info = eventTypeInfo(output.type);
      assert.ok(info !== undefined, output.type);
      assert.ok(Value.Check(info.data, output.data), `${output.type}: ${JSON.stringify([...Value.Errors(info.data, output.data)].map((error) => error.path))}`);
    }
  });

  it('emits the same events when replayed from scratch', () => {
    const events = [started(`${LINE_1}/press-1`, 'WO-10', at(0)), report('forklift-1', at(0), 45, 50), report('forklift-1', at(1), 45, 54), report('forklift-1', at(2), 45, 50)];
    assert.deepEqual(run(events), run(events));
  });
});
