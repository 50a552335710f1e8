import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttBinding } from './config.js';
import { decodePayload, fillPlaceholders, mapEventMessage, mapMessage, timestampOf, topicMatches } from './mapping.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const source = { system: 'plc', connector: 'broker-1' };

describe('MQTT mapping', () => {
  it('matches topic filters with + and #', () => {
    assert.equal(topicMatches('plant/+/state', 'plant/press-1/state'), true);
    assert.equal(topicMatches('plant/+/state', 'plant/press-1/speed'), false);
    assert.equal(topicMatches('plant/+/state', 'plant/a/b/state'), false);
    assert.equal(topicMatches('plant/#', 'plant/a/b/c'), true);
    assert.equal(topicMatches('plant/#', 'plant'), true);
    assert.equal(topicMatches('plant/a', 'plant/a/b'), false);
  });
  it('fills topic-level placeholders', () => {
    assert.equal(fillPlaceholders('acme/plant-1/assembly/line-1/{2}', 'line1/telemetry/press-1/rms'), 'acme/plant-1/assembly/line-1/press-1');
    assert.equal(fillPlaceholders('{9}', 'a/b'), '{9}', 'a missing level stays visible rather than silently empty');
  });
  it('decodes JSON, bare numbers and words, and rejects broken payloads', () => {
    assert.deepEqual(decodePayload(bytes('{"v": 1}')), { ok: true, value: { v: 1 } });
    assert.deepEqual(decodePayload(bytes(' 21.5 ')), { ok: true, value: 21.5 });
    assert.deepEqual(decodePayload(bytes('RUNNING')), { ok: true, value: 'RUNNING' });
    assert.equal(decodePayload(bytes('{"v": ')).ok, false);
    assert.equal(decodePayload(new Uint8Array([0xff, 0xfe])).ok, false);
    assert.equal(decodePayload(bytes('')).ok, false);
  });
  it('reads the source time from the payload', () => {
    assert.equal(timestampOf({ ts: 1700000000000 }, 'ts', 5), 1700000000000);
    assert.equal(timestampOf({ meta: { at: '2026-01-01T00:00:00Z' } }, 'meta.at', 5), Date.UTC(2026, 0, 1));
    assert.equal(timestampOf({}, 'ts', 5), undefined);
    assert.equal(timestampOf({}, undefined, 5), 5);
  });
  it('maps a message through every matching binding', () => {
    const bindings: MqttBinding[] = [
      { topic: 'line1/+/rms', equipment: 'acme/p/a/line-1/{1}', signal: 'vibration-rms', as: 'sample', field: 'value' },
      { topic: 'line1/+/state', equipment: 'acme/p/a/line-1/{1}', signal: 'state', as: 'state', enum: { '0': 'idle', '1': 'execute' } },
    ];
    const memory = new Map();
    const [sample] = mapMessage(bindings, 'line1/press-1/rms', { value: 2.5 }, 1000, memory, source);
    assert.deepEqual(sample, { kind: 'sample', sample: { equipment: 'acme/p/a/line-1/press-1', signal: 'vibration-rms', ts: 1000, value: 2.5, quality: 'good' } });
    const [state] = mapMessage(bindings, 'line1/cnc-1/state', 1, 2000, memory, source);
    assert.equal(state?.kind === 'event' && state.event.subject?.equipment, 'acme/p/a/line-1/cnc-1');
    assert.deepEqual(mapMessage(bindings, 'line2/x/rms', 1, 0, memory, source), []);
  });
  it('maps JSON documents on matching topics to whole events, and says why one does not map', () => {
    const mappings = [{ topic: 'rtls/+/position', eventType: 'location.position.reported' as const, occurredAt: 'ts', data: { tag: 'tag', x: { path: 'x', as: 'number' as const }, y: { path: 'y', as: 'number' as const } } }];
    const context = { source: { system: 'rtls', connector: 'broker', address: 'rtls/a/position' }, receivedAt: 5 };
    const ok = mapEventMessage(mappings, 'rtls/a/position', { tag: 'a', x: 1, y: 2, ts: 1000 }, context);
    assert.deepEqual(ok?.events[0]?.data, { tag: 'a', x: 1, y: 2 });
    assert.equal(ok?.events[0]?.occurredAt, new Date(1000).toISOString());
    assert.equal(mapEventMessage(mappings, 'plant/a/state', {}, context), undefined, 'no mapping for the topic: not its business');
    const bad = mapEventMessage(mappings, 'rtls/a/position', { tag: 'a', x: 'far', y: 2, ts: 1000 }, context);
    assert.match(bad?.rejects[0]?.message ?? '', /x.*not a number/);
  });
});
