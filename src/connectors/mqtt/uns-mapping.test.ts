import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredEvent } from '../../core/event.js';
import { UNS_TOPICS, type UnsTopic } from './uns-config.js';
import { topicLevel, unsMessageOfEvent, unsMessageOfSample } from './uns-mapping.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const all = new Set<UnsTopic>(UNS_TOPICS);

function event(type: string, data: Record<string, unknown>, subject: StoredEvent['subject'] = { equipment: PRESS }): StoredEvent {
  return {
    id: 'ev-1', position: 1, type, occurredAt: '2026-01-01T06:00:00.000Z', receivedAt: '2026-01-01T06:00:00.010Z',
    source: { system: 'plc' }, subject, data, quality: 'good',
  };
}

describe('unified namespace mapping', () => {
  it('puts state under the equipment path', () => {
    const message = unsMessageOfEvent(event('equipment.state.changed', { state: 'faulted', previousState: 'execute' }, { equipment: PRESS, workOrder: 'wo-1' }), 'uns/', all);
    assert.equal(message?.topic, `uns/${PRESS}/state`);
    assert.deepEqual(JSON.parse(message!.payload), { state: 'faulted', previousState: 'execute', workOrder: 'wo-1', at: '2026-01-01T06:00:00.000Z', quality: 'good' });
    assert.equal(message?.at, Date.UTC(2026, 0, 1, 6));
  });
  it('gives each alarm, measurement and signal its own topic', () => {
    assert.equal(unsMessageOfEvent(event('alarm.raised', { alarm: 'over-temp', severity: 700 }), '', all)?.topic, `${PRESS}/alarms/over-temp`);
    assert.equal(JSON.parse(unsMessageOfEvent(event('alarm.cleared', { alarm: 'over-temp' }), '', all)!.payload).active, false);
    assert.equal(unsMessageOfEvent(event('quality.measurement.recorded', { characteristic: 'bore-diameter', value: 12.01 }), '', all)?.topic, `${PRESS}/measurements/bore-diameter`);
    const sample = unsMessageOfSample({ equipment: PRESS, signal: 'vibration-rms', ts: 0, value: 2.5 }, '');
    assert.equal(sample.topic, `${PRESS}/signals/vibration-rms`);
    assert.deepEqual(JSON.parse(sample.payload), { value: 2.5, at: '1970-01-01T00:00:00.000Z', quality: 'good' });
  });
  it('tracks the running work order', () => {
    const started = unsMessageOfEvent(event('work-order.operation.started', {}, { equipment: PRESS, workOrder: 'wo-7', operation: 'op-20' }), '', all);
    assert.deepEqual(JSON.parse(started!.payload), { workOrder: 'wo-7', operation: 'op-20', at: '2026-01-01T06:00:00.000Z', quality: 'good' });
    const completed = unsMessageOfEvent(event('work-order.operation.completed', {}, { equipment: PRESS, workOrder: 'wo-7' }), '', all);
    assert.deepEqual(JSON.parse(completed!.payload).workOrder, null);
  });
  it('publishes only what is included, and nothing without equipment', () => {
    assert.equal(unsMessageOfEvent(event('alarm.raised', { alarm: 'x' }), '', new Set<UnsTopic>(['state'])), undefined);
    assert.equal(unsMessageOfEvent(event('equipment.state.changed', { state: 'idle' }, {}), '', all), undefined);
    assert.equal(unsMessageOfEvent(event('work-order.released', { quantity: 1 }, { workOrder: 'wo-1' }), '', all), undefined);
  });
  it('keeps names from adding levels or wildcards', () => {
    assert.equal(topicLevel('a/b+c#'), 'a_b_c_');
    assert.equal(topicLevel('  '), '_');
  });
});
