import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows exponentially up to the ceiling', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
  });
  it('keeps jitter within the configured fraction below the base delay', () => {
    const low = new Backoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, jitter: 0.5, random: () => 0.999 });
    assert.equal(low.next(), 500);
    assert.ok(high.next()! <= 1000);
  });
  it('stops at maxAttempts and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, jitter: 0, maxAttempts: 2 });
    assert.equal(backoff.next(), 10);
    assert.equal(backoff.next(), 20);
    assert.equal(backoff.next(), undefined);
    backoff.reset();
    assert.equal(backoff.next(), 10);
  });
});
