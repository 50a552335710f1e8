import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractField, mapReading, type Binding, type MappingMemory, type RawReading } from './mapping.js';

const source = { system: 'plc', connector: 'line-1-opcua' };
const reading = (value: unknown, extra: Partial<RawReading> = {}): RawReading => ({ address: 'ns=2;s=X', value, ts: 1_700_000_000_000, quality: 'good', ...extra });
const bind = (binding: Partial<Binding>): Binding => ({ address: 'ns=2;s=X', equipment: 'acme/p/a/press-1', signal: 'speed', as: 'sample', ...binding });

describe('mapReading', () => {
  it('scales and offsets samples, and honours the deadband', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ scale: 0.1, offset: -5, deadband: 1 });
    const first = mapReading(binding, reading(100), memory, source);
    assert.deepEqual(first, { kind: 'sample', sample: { equipment: 'acme/p/a/press-1', signal: 'speed', ts: 1_700_000_000_000, value: 5, quality: 'good' } });
    assert.equal(mapReading(binding, reading(105), memory, source).kind, 'skip', '0.5 change is inside the 1.0 deadband');
    assert.equal(mapReading(binding, reading(120), memory, source).kind, 'sample');
  });
  it('maps enum states to state-change events, once per change', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ as: 'state', signal: 'state', enum: { '0': 'idle', '1': 'execute', '2': 'faulted' } });
    const first = mapReading(binding, reading(1), memory, source);
    assert.equal(first.kind === 'event' && first.event.type, 'equipment.state.changed');
    assert.deepEqual(first.kind === 'event' && first.event.data, { state: 'execute' });
    assert.equal(mapReading(binding, reading(1), memory, source).kind, 'skip');
    const fault = mapReading(binding, reading(2), memory, source);
    assert.deepEqual(fault.kind === 'event' && fault.event.data, { state: 'faulted', previousState: 'execute' });
    const unknown = mapReading(binding, reading(7), memory, source);
    assert.equal(unknown.kind, 'reject');
    const stale = mapReading(binding, reading(2, { quality: 'bad' }), memory, source);
    assert.equal(stale.kind === 'event' && stale.event.quality, 'bad', 'the same state gone stale is reported');
    assert.deepEqual(stale.kind === 'event' && stale.event.data, { state: 'faulted' });
  });
  it('puts an event binding\'s value under the data key it names', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ as: 'event', eventType: 'downtime.reason.recorded', signal: 'stop-reason', valueKey: 'reason' });
    const result = mapReading(binding, reading('material-shortage'), memory, source);
    assert.deepEqual(result.kind === 'event' && result.event.data, { signal: 'stop-reason', reason: 'material-shortage' });
    assert.equal(mapReading(binding, reading(''), memory, source).kind, 'skip', 'an empty reason is no reason');
  });
  it('turns an order-number tag into operation started and completed events', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ as: 'work-order', signal: 'work-order' });
    assert.equal(mapReading(binding, reading(''), memory, source).kind, 'skip', 'nothing running at the first reading is no news');
    const started = mapReading(binding, reading('WO-1001'), memory, source);
    assert.equal(started.kind === 'event' && started.event.type, 'work-order.operation.started');
    assert.deepEqual(started.kind === 'event' && started.event.subject, { equipment: 'acme/p/a/press-1', workOrder: 'WO-1001' });
    assert.equal(mapReading(binding, reading('WO-1001'), memory, source).kind, 'skip');
    const next = mapReading(binding, reading('WO-1002'), memory, source);
    assert.deepEqual(next.kind === 'event' && next.event.data, { previousWorkOrder: 'WO-1001' }, 'a new order replaces the old one');
    const done = mapReading(binding, reading(''), memory, source);
    assert.equal(done.kind === 'event' && done.event.type, 'work-order.operation.completed');
    assert.equal(done.kind === 'event' && done.event.subject?.workOrder, 'WO-1002');
  });
  it('turns a running counter into increments, surviving a counter reset', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ as: 'count', countKind: 'scrap' });
    assert.equal(mapReading(binding, reading(1000), memory, source).kind, 'skip', 'first reading is the baseline');
    const next = mapReading(binding, reading(1003), memory, source);
    assert.deepEqual(next.kind === 'event' && next.event.data, { scrap: 3, total: 1003 });
    const reset = mapReading(binding, reading(2), memory, source);
    assert.deepEqual(reset.kind === 'event' && reset.event.data, { scrap: 2, total: 2 });
    assert.equal(mapReading(binding, reading(-1), memory, source).kind, 'reject');
  });
  it('raises and clears alarms on edges only', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({ as: 'alarm', signal: 'over-temp' });
    assert.equal(mapReading(binding, reading(false), memory, source).kind, 'skip');
    const raised = mapReading(binding, reading(true), memory, source);
    assert.equal(raised.kind === 'event' && raised.event.type, 'alarm.raised');
    assert.equal(mapReading(binding, reading(true), memory, source).kind, 'skip');
    const cleared = mapReading(binding, reading('off'), memory, source);
    assert.equal(cleared.kind === 'event' && cleared.event.type, 'alarm.cleared');
  });
  it('extracts payload fields and rejects what cannot be transformed', () => {
    assert.equal(extractField({ a: { b: [1, { c: 42 }] } }, 'a.b.1.c'), 42);
    const memory: MappingMemory = new Map();
    const result = mapReading(bind({ field: 'payload.temp' }), reading({ payload: { temp: '21.5' } }), memory, source);
    assert.equal(result.kind === 'sample' && result.sample.value, 21.5);
    assert.equal(mapReading(bind({ field: 'payload.missing' }), reading({ payload: {} }), memory, source).kind, 'reject');
    assert.equal(mapReading(bind({}), reading('abc'), memory, source).kind, 'reject');
  });
  it('repeats the last value with bad quality when a bad reading has none, and skips when nothing is known', () => {
    const memory: MappingMemory = new Map();
    const binding = bind({});
    assert.equal(mapReading(binding, reading(null, { quality: 'bad', status: 'exception 2' }), memory, source).kind, 'skip');
    mapReading(binding, reading(7), memory, source);
    const stale = mapReading(binding, reading(null, { quality: 'bad', ts: 1_700_000_001_000 }), memory, source);
    assert.deepEqual(stale.kind === 'sample' && [stale.sample.value, stale.sample.quality, stale.sample.ts], [7, 'bad', 1_700_000_001_000]);
    assert.equal(mapReading(binding, reading(null), memory, source).kind, 'reject', 'a good reading without a value is an error');
  });

  it('carries quality and the source status into events', () => {
    const memory: MappingMemory = new Map();
    const result = mapReading(bind({ as: 'measurement', signal: 'bore-diameter', unit: 'mm' }), reading(12.01, { quality: 'uncertain', status: 'UncertainLastUsableValue' }), memory, source);
    assert.equal(result.kind, 'event');
    if (result.kind !== 'event') return;
    assert.equal(result.event.quality, 'uncertain');
    assert.deepEqual(result.event.data, { characteristic: 'bore-diameter', value: 12.01, unit: 'mm', status: 'UncertainLastUsableValue' });
    assert.deepEqual(result.event.source, { system: 'plc', connector: 'line-1-opcua', address: 'ns=2;s=X' });
  });
});
