import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, RetryTimer } from './backoff.js';
import type { ConnectorSink } from './connector.js';
import type { EventInput, Sample } from './event.js';
import { ReadingBatcher } from './reading-batcher.js';

/** A sink that records what it is handed (a unit test of batching logic, not of a store). */
function recordingSink(fail: () => boolean = () => false): ConnectorSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async samples(samples: readonly Sample[]) {
      if (fail()) throw new Error('store away');
      calls.push(`samples:${samples.map((sample) => sample.value).join(',')}`);
    },
    async events(events: readonly EventInput[]) {
      calls.push(`events:${events.map((event) => event.type).join(',')}`);
    },
    async deadLetter() {},
  };
}

const sample = (value: number): Sample => ({ equipment: 'e', signal: 's', ts: value, value });
const event = (type: string): EventInput => ({ type, occurredAt: '2026-01-01T00:00:00Z', source: { system: 'plc' } });

describe('ReadingBatcher', () => {
  it('hands over in batches, samples before events, in the order read', async () => {
    const sink = recordingSink();
    const batcher = new ReadingBatcher({ sink, flushMs: 1000, maxItems: 3, onError: assert.fail });
    batcher.addSample(sample(1));
    batcher.addEvent(event('a.b.c'));
    batcher.addSample(sample(2)); // the third item: handed over at once
    batcher.addSample(sample(3));
    await batcher.flush();
    assert.deepEqual(sink.calls, ['samples:1,2', 'events:a.b.c', 'samples:3']);
  });
  it('hands over after flushMs without more readings, and reports a refused batch instead of throwing', async () => {
    let refuse = true;
    const sink = recordingSink(() => refuse);
    const errors: unknown[] = [];
    const batcher = new ReadingBatcher({ sink, flushMs: 5, onError: (error) => errors.push(error) });
    batcher.add({ kind: 'sample', sample: sample(7) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(errors.length, 1);
    refuse = false;
    batcher.add({ kind: 'skip', reason: 'unchanged' });
    batcher.add({ kind: 'sample', sample: sample(8) });
    await batcher.flush();
    assert.deepEqual(sink.calls, ['samples:8']);
  });
});

describe('RetryTimer', () => {
  it('keeps one retry pending however often it is asked, and can be cancelled', async () => {
    const retry = new RetryTimer(new Backoff({ initialMs: 5, maxMs: 5, jitter: 0 }));
    let runs = 0;
    retry.schedule(() => (runs += 1));
    retry.schedule(() => (runs += 10));
    assert.equal(retry.pending, true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(runs, 1);
    retry.schedule(() => (runs += 100));
    retry.cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(runs, 1);
  });
});
