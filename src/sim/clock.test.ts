import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../test/support/wait.js';
import { SimClock, type SimStep } from './clock.js';
import { Random } from './random.js';

const START = Date.UTC(2026, 0, 5, 4, 30);

/** A toy model whose output depends on the step sequence only: what a catch-up must not change. */
function recorder(clock: SimClock): Array<[number, number]> {
  const rng = new Random('clock-test');
  const out: Array<[number, number]> = [];
  clock.onStep((step: SimStep) => out.push([step.now, Math.round(rng.next() * 1e6)]));
  return out;
}

describe('SimClock', () => {
  it('advances in fixed steps from the start instant', () => {
    const clock = new SimClock({ start: START, stepMs: 1000, speed: 60 });
    assert.equal(clock.now(), START);
    const seen: SimStep[] = [];
    clock.onStep((step) => seen.push(step));
    clock.runSteps(3);
    assert.deepEqual(seen.map((step) => [step.index, step.now - START]), [[1, 1000], [2, 2000], [3, 3000]]);
    clock.runUntil(START + 10_500);
    assert.equal(clock.now(), START + 11_000, 'runUntil stops at the first step at or past the time');
  });

  it('gives the same output when real timers fall behind and catch up in bursts', async () => {
    const reference = new SimClock({ start: START, stepMs: 1000, speed: 100 });
    const expected = recorder(reference);
    reference.runSteps(300);

    // A real clock that lurches forward in big jumps, as a process does when it stalls.
    let fakeReal = 0;
    const lagging = new SimClock({ start: START, stepMs: 1000, speed: 100, maxBurst: 7, realNow: () => fakeReal });
    const actual = recorder(lagging);
    lagging.startTimers();
    const jumps = setInterval(() => {
      fakeReal += 450; // 45 steps at once
    }, 1);
    try {
      await until('300 steps', () => lagging.index >= 300);
    } finally {
      clearInterval(jumps);
      lagging.stopTimers();
    }
    assert.deepEqual(actual.slice(0, 300), expected);
  });

  it('runs at() handlers after the step that reaches their time, and not when cancelled', () => {
    const clock = new SimClock({ start: START, stepMs: 1000, speed: 1 });
    const fired: number[] = [];
    clock.at(START + 2500, () => fired.push(clock.now()));
    const cancelled = clock.at(START + 1000, () => fired.push(-1));
    cancelled.cancel();
    clock.runSteps(5);
    assert.deepEqual(fired, [START + 3000]);
  });

  it('stops its timer and reports a failing handler instead of stepping on', async () => {
    const errors: unknown[] = [];
    const clock = new SimClock({ start: START, stepMs: 1000, speed: 1000, onError: (error) => errors.push(error) });
    clock.onStep((step) => {
      if (step.index === 3) throw new Error('boom');
    });
    clock.startTimers();
    await until('the failure', () => errors.length === 1);
    assert.equal(clock.running, false);
    assert.equal(clock.index, 3);
  });

  it('refuses a zero step or speed', () => {
    assert.throws(() => new SimClock({ start: START, stepMs: 0, speed: 1 }), RangeError);
    assert.throws(() => new SimClock({ start: START, stepMs: 1000, speed: 0 }), RangeError);
  });
});
