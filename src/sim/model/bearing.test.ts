import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BearingConfig } from '../config.js';
import { BearingModel, DAY_MS } from './bearing.js';

const START = Date.UTC(2026, 0, 5, 4, 30);
const CONFIG: BearingConfig = { machine: 'cnc-1', initialRms: 1.5, failureRms: 11, lifeDays: 5, startDay: 3, noise: 0.05, idleRms: 0.3, sampleMs: 1000, repairHours: 6 };
const HOUR_MS = 3_600_000;

describe('BearingModel', () => {
  it('rises from the initial to the failure RMS over its life, exponentially', () => {
    const bearing = new BearingModel({ ...CONFIG, startDay: 0 }, 'seed', START);
    assert.equal(bearing.trend(START), 1.5);
    assert.ok(Math.abs(bearing.trend(START + 5 * DAY_MS) - 11) < 1e-9);
    const growth = (day: number): number => bearing.trend(START + (day + 1) * DAY_MS) - bearing.trend(START + day * DAY_MS);
    assert.ok(growth(4) > 3 * growth(0), 'slow at first, fast toward the end');
  });

  it('trends upward hour by hour under noise and load changes (running samples)', () => {
    const bearing = new BearingModel(CONFIG, 'seed', START);
    const hourlyMeans: number[] = [];
    for (let hour = 0; hour < 47; hour += 1) {
      let sum = 0;
      for (let second = 0; second < 3600; second += 10) sum += bearing.sample(START + hour * HOUR_MS + second * 1000, true);
      hourlyMeans.push(sum / 360);
    }
    const decreases = hourlyMeans.slice(1).filter((mean, index) => mean < hourlyMeans[index]!).length;
    assert.ok(decreases <= 3, `hourly means fell ${decreases} times: ${hourlyMeans.map((mean) => mean.toFixed(2)).join(' ')}`);
    assert.ok(hourlyMeans[46]! > 1.5 * hourlyMeans[0]!, 'two days on, clearly worse');
  });

  it('reaches the failure threshold at the configured time, within a few hours for the noisy readings', () => {
    const bearing = new BearingModel(CONFIG, 'seed', START);
    const expected = START + (CONFIG.lifeDays - CONFIG.startDay) * DAY_MS;
    assert.equal(bearing.failsAt(), expected);
    let firstAbove: number | undefined;
    for (let t = START; t < expected + 12 * HOUR_MS && firstAbove === undefined; t += 60_000) {
      if (bearing.sample(t, true) >= CONFIG.failureRms) firstAbove = t;
    }
    assert.ok(firstAbove !== undefined, 'a reading crosses the threshold');
    assert.ok(Math.abs(firstAbove - expected) < 12 * HOUR_MS, `first reading above at ${(firstAbove - expected) / HOUR_MS} h from the configured time`);
  });

  it('shows only background vibration with the spindle stopped, and starts over when replaced', () => {
    const bearing = new BearingModel(CONFIG, 'seed', START);
    const idle = Array.from({ length: 100 }, (_, index) => bearing.sample(START + index * 1000, false));
    assert.ok(idle.every((value) => value < 0.5));
    bearing.replace(START + DAY_MS);
    assert.equal(bearing.trend(START + DAY_MS), 1.5);
    assert.equal(bearing.failsAt(), START + 6 * DAY_MS);
  });
});
