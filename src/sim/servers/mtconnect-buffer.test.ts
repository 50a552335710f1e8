import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CncObservation } from './cnc-feed.js';
import { ObservationBuffer } from './mtconnect-buffer.js';

const CONDITIONS = new Set(['m-system']);
const buffer = (capacity: number) => new ObservationBuffer(capacity, (id) => CONDITIONS.has(id));
const event = (dataItemId: string, value: string, ts = 0): CncObservation => ({ device: dataItemId.split('-')[0]!, dataItemId, value, ts });
const fault = (code: string, ts = 0): CncObservation => ({ device: 'm', dataItemId: 'm-system', value: 'FAULT', ts, condition: { level: 'FAULT', nativeCode: code, text: code } });
const normal = (code?: string, ts = 0): CncObservation => ({
  device: 'm',
  dataItemId: 'm-system',
  value: 'NORMAL',
  ts,
  condition: code === undefined ? { level: 'NORMAL' } : { level: 'NORMAL', nativeCode: code },
});
const values = (entries: ReturnType<ObservationBuffer['current']>) => entries.map((entry) => `${entry.observation.dataItemId}=${entry.observation.condition?.nativeCode ?? entry.observation.value}@${entry.sequence}`).sort();

describe('ObservationBuffer', () => {
  it('numbers observations from 1 and keeps the newest `capacity` of them', () => {
    const ring = buffer(4);
    assert.deepEqual([ring.firstSequence, ring.lastSequence, ring.nextSequence], [1, 0, 1]);
    for (let i = 1; i <= 6; i += 1) assert.equal(ring.append(event('m-count', String(i))).sequence, i);
    assert.deepEqual([ring.firstSequence, ring.lastSequence, ring.nextSequence], [3, 6, 7]);
    assert.equal(ring.get(2), undefined, 'dropped out');
    assert.equal(ring.get(3)?.observation.value, '3');
    assert.equal(ring.get(7), undefined, 'not written yet');
  });

  it('slices by sequence: at most count, nextSequence after the last one returned or the end', () => {
    const ring = buffer(8);
    for (let i = 1; i <= 6; i += 1) ring.append(event(i % 2 === 0 ? 'a-x' : 'b-x', String(i)));
    const full = ring.slice(2, 3);
    assert.deepEqual([full.entries.map((entry) => entry.sequence), full.nextSequence], [[2, 3, 4], 5]);
    const rest = ring.slice(5, 10);
    assert.deepEqual([rest.entries.map((entry) => entry.sequence), rest.nextSequence], [[5, 6], 7]);
    const filtered = ring.slice(1, 2, (entry) => entry.observation.device === 'a');
    assert.deepEqual([filtered.entries.map((entry) => entry.sequence), filtered.nextSequence], [[2, 4], 5], 'other devices are skipped, not counted');
    assert.deepEqual(ring.slice(7, 5), { entries: [], nextSequence: 7 });
  });

  it('gives each item its latest value, and each active condition until NORMAL clears it', () => {
    const ring = buffer(16);
    ring.append(event('m-exec', 'READY'));
    ring.append(normal());
    ring.append(event('m-exec', 'ACTIVE'));
    ring.append(fault('coolant-low'));
    ring.append(fault('tool-breakage'));
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=coolant-low@4', 'm-system=tool-breakage@5']);
    ring.append(normal('coolant-low'));
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=tool-breakage@5']);
    ring.append(fault('tool-breakage'));
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=tool-breakage@7'], 'the same code again replaces the entry');
    ring.append(normal());
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=NORMAL@8'], 'NORMAL without a code clears everything');
    ring.append(fault('a'));
    ring.append(normal('a'));
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=a@10'], 'the last active one cleared leaves its NORMAL');
    ring.append({ device: 'm', dataItemId: 'm-system', value: 'UNAVAILABLE', ts: 0 });
    assert.deepEqual(values(ring.current()), ['m-exec=ACTIVE@3', 'm-system=UNAVAILABLE@11']);
  });

  it('answers current at a sequence number, also once older observations have dropped out', () => {
    const ring = buffer(4);
    ring.append(event('m-exec', 'READY')); // 1
    ring.append(event('m-count', '10')); // 2
    ring.append(fault('coolant-low')); // 3
    ring.append(event('m-exec', 'ACTIVE')); // 4
    ring.append(event('m-count', '11')); // 5, drops 1
    ring.append(normal()); // 6, drops 2
    assert.equal(ring.firstSequence, 3);
    assert.deepEqual(values(ring.current(3)), ['m-count=10@2', 'm-exec=READY@1', 'm-system=coolant-low@3']);
    assert.deepEqual(values(ring.current(5)), ['m-count=11@5', 'm-exec=ACTIVE@4', 'm-system=coolant-low@3']);
    assert.deepEqual(values(ring.current(6)), values(ring.current()));
    assert.throws(() => ring.current(2), RangeError);
    assert.throws(() => ring.current(7), RangeError);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    assert.throws(() => buffer(0), RangeError);
    assert.throws(() => buffer(1.5), RangeError);
  });
});
