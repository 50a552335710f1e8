import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredEvent } from '../../core/event.js';
import { applyStatusEvent, emptyStatus } from './status-reducer.js';

const PRESS = 'acme/p/a/l/press-1';
let position = 0;
function event(type: string, minute: number, data: Record<string, unknown> = {}, subject: StoredEvent['subject'] = { equipment: PRESS }): StoredEvent {
  position += 1;
  const at = new Date(Date.UTC(2026, 0, 5, 6, minute)).toISOString();
  return { id: `e${position}`, position, type, occurredAt: at, receivedAt: at, source: { system: 'plc' }, subject, data, quality: 'good' };
}
const fold = (events: StoredEvent[]) => events.reduce(applyStatusEvent, emptyStatus(PRESS));

describe('machine status', () => {
  it('follows state, order, alarms and counts', () => {
    const status = fold([
      event('work-order.operation.started', 0, {}, { equipment: PRESS, workOrder: 'WO-1', lot: 'L-1' }),
      event('equipment.state.changed', 1, { state: 'execute' }),
      event('alarm.raised', 2, { alarm: 'jam', severity: 700 }),
      event('equipment.state.changed', 2, { state: 'faulted', reason: 'jam' }),
      event('production.count.recorded', 3, { good: 4 }),
    ]);
    assert.equal(status.state, 'faulted');
    assert.equal(status.previousState, 'execute');
    assert.equal(status.reason, 'jam');
    assert.equal(status.workOrder, 'WO-1');
    assert.equal(status.lot, 'L-1');
    assert.deepEqual(status.activeAlarms, [{ alarm: 'jam', since: '2026-01-05T06:02:00.000Z', severity: 700 }]);
    assert.deepEqual(status.lastCount, { good: 4, scrap: 0, at: '2026-01-05T06:03:00.000Z' });
  });
  it('takes the reason of the stop in progress from a separate stop-reason event', () => {
    const status = fold([
      event('equipment.state.changed', 1, { state: 'faulted' }),
      event('downtime.reason.recorded', 1, { reason: 'die-change-overrun' }),
    ]);
    assert.equal(status.reason, 'die-change-overrun');
    const running = fold([event('equipment.state.changed', 1, { state: 'execute' }), event('downtime.reason.recorded', 0, { reason: 'old' })]);
    assert.equal(running.reason, undefined, 'no reason while it runs, and none from before the state began');
  });
  it('never moves back in time, clears alarms and completed orders', () => {
    const status = fold([
      event('equipment.state.changed', 5, { state: 'execute' }),
      event('equipment.state.changed', 1, { state: 'idle' }),
      event('alarm.raised', 2, { alarm: 'door' }),
      event('alarm.cleared', 3, { alarm: 'door' }),
      event('work-order.operation.started', 0, {}, { equipment: PRESS, workOrder: 'WO-1' }),
      event('work-order.operation.completed', 4, {}, { equipment: PRESS, workOrder: 'WO-0' }),
    ]);
    assert.equal(status.state, 'execute', 'a late, older state is ignored');
    assert.deepEqual(status.activeAlarms, []);
    assert.equal(status.workOrder, 'WO-1', 'completing another order changes nothing');
  });
});
