import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalEvent } from '../event.js';
import { RunningOperations } from './enrich.js';

const PRESS = 'acme/p/a/l/press-1';
let counter = 0;
function event(type: string, at: string, subject: CanonicalEvent['subject'], data: Record<string, unknown> = {}): CanonicalEvent {
  counter += 1;
  return { id: `e${counter}`, type, occurredAt: at, receivedAt: at, source: { system: 'plc' }, subject, data, quality: 'good' };
}

describe('enrich: the running work order', () => {
  it('gives events on a machine the order, operation and lot running there', () => {
    const running = new RunningOperations();
    running.apply(event('work-order.operation.started', '2026-01-01T06:00:00Z', { equipment: PRESS, workOrder: 'wo-1', operation: '10', lot: 'lot-9' }));
    const stop = running.apply(event('equipment.state.changed', '2026-01-01T06:05:00Z', { equipment: PRESS }, { state: 'stopped' }));
    assert.deepEqual(stop.subject, { equipment: PRESS, workOrder: 'wo-1', operation: '10', lot: 'lot-9' });
  });
  it('leaves events before the start, on other machines, after completion, or naming their own order alone', () => {
    const running = new RunningOperations();
    running.apply(event('work-order.operation.started', '2026-01-01T06:00:00Z', { equipment: PRESS, workOrder: 'wo-1' }));
    assert.equal(running.apply(event('alarm.raised', '2026-01-01T05:59:59Z', { equipment: PRESS }, { alarm: 'x' })).subject.workOrder, undefined);
    assert.equal(running.apply(event('alarm.raised', '2026-01-01T06:01:00Z', { equipment: 'acme/p/a/l/cnc-1' }, { alarm: 'x' })).subject.workOrder, undefined);
    assert.equal(running.apply(event('alarm.raised', '2026-01-01T06:01:00Z', { equipment: PRESS, workOrder: 'wo-7' }, { alarm: 'x' })).subject.workOrder, 'wo-7');
    running.apply(event('work-order.operation.completed', '2026-01-01T07:00:00Z', { equipment: PRESS, workOrder: 'wo-1' }));
    assert.equal(running.apply(event('alarm.raised', '2026-01-01T07:01:00Z', { equipment: PRESS }, { alarm: 'x' })).subject.workOrder, undefined);
  });
  it('lets a new start replace the old order, and ignores a late completion of the old one', () => {
    const running = new RunningOperations();
    running.apply(event('work-order.operation.started', '2026-01-01T06:00:00Z', { equipment: PRESS, workOrder: 'wo-1' }));
    running.apply(event('work-order.operation.started', '2026-01-01T08:00:00Z', { equipment: PRESS, workOrder: 'wo-2' }));
    running.apply(event('work-order.operation.completed', '2026-01-01T07:59:00Z', { equipment: PRESS, workOrder: 'wo-1' }));
    assert.equal(running.current(PRESS)?.workOrder, 'wo-2');
    running.apply(event('work-order.operation.completed', '2026-01-01T09:00:00Z', { equipment: PRESS, workOrder: 'wo-1' }));
    assert.equal(running.current(PRESS)?.workOrder, 'wo-2', 'completing an order that is not running ends nothing');
  });
});
