import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScaledClock, SystemClock } from './clock.js';

describe('clocks', () => {
  it('runs scaled time from its origin at its speed', () => {
    const clock = new ScaledClock({ origin: Date.UTC(2026, 0, 5, 5, 30), speed: 60, realStart: Date.now() - 1000 });
    const elapsed = clock.now() - Date.UTC(2026, 0, 5, 5, 30);
    assert.ok(elapsed >= 60_000 && elapsed < 120_000, `one real second is a simulated minute (got ${elapsed} ms)`);
    assert.throws(() => new ScaledClock({ origin: 0, speed: 0 }), RangeError);
  });
  it('fires a scaled timer when plant time reaches it, and not after cancel', async () => {
    const clock = new ScaledClock({ origin: 0, speed: 1000 });
    const keepAlive = setTimeout(() => undefined, 5_000);
    const fired = await new Promise<number>((resolve) => clock.at(2_000, () => resolve(clock.now())));
    assert.ok(fired >= 2_000, `fired at plant time ${fired}`);
    let late = false;
    clock.at(clock.now() + 50, () => (late = true)).cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(late, false);
    clearTimeout(keepAlive);
  });
  it('fires a past deadline on the next turn', async () => {
    const clock = new SystemClock();
    // Clock timers never hold the process open (unref), so the test holds it while it waits.
    const keepAlive = setTimeout(() => undefined, 5_000);
    await new Promise<void>((resolve) => clock.at(0, resolve));
    clearTimeout(keepAlive);
  });
});
