import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DimensionConfig } from '../config.js';
import { DimensionModel } from './dimension.js';

const BORE: DimensionConfig = {
  machine: 'test-1', characteristic: 'bore-diameter', tag: 'BoreDiameter', nominal: 25, tolerance: 0.05, sigma: 0.004,
  driftPer10Parts: 0.002, toolChangeAtShiftStart: true,
};

/** Western Electric rule 4 / Nelson rule 2: nine points in a row on the same side of the centre line. */
function firstRunOfNine(values: readonly number[], centre: number): number | undefined {
  let run = 0;
  let side = 0;
  for (const [index, value] of values.entries()) {
    const current = Math.sign(value - centre);
    run = current !== 0 && current === side ? run + 1 : 1;
    side = current;
    if (run >= 9) return index;
  }
  return undefined;
}

describe('DimensionModel', () => {
  it('drifts the mean by the configured amount per ten parts, and a tool change resets it', () => {
    const dimension = new DimensionModel(BORE, 'seed');
    for (let part = 0; part < 100; part += 1) dimension.measure();
    assert.ok(Math.abs(dimension.mean() - 25.02) < 1e-9);
    dimension.toolChange();
    assert.equal(dimension.mean(), 25);
  });

  it('moves the measured mean as configured (window means follow the drift)', () => {
    const dimension = new DimensionModel(BORE, 'seed');
    const values = Array.from({ length: 200 }, () => dimension.measure().value);
    const mean = (from: number): number => values.slice(from, from + 50).reduce((sum, value) => sum + value, 0) / 50;
    // The mean of parts from..from+49 sits at the drift of part from+24.5.
    for (const from of [0, 50, 100, 150]) assert.ok(Math.abs(mean(from) - (25 + 0.0002 * (from + 24.5))) < 0.003, `window ${from}: ${mean(from)}`);
  });

  it('lets a run rule fire long before any part leaves the tolerance', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const dimension = new DimensionModel(BORE, seed);
      const measurements = Array.from({ length: 400 }, () => dimension.measure());
      const rule = firstRunOfNine(measurements.map((measurement) => measurement.value), BORE.nominal);
      const outOfSpec = measurements.findIndex((measurement) => !measurement.inSpec);
      assert.ok(rule !== undefined && outOfSpec >= 0, `seed ${seed}: rule at ${rule}, out of spec at ${outOfSpec}`);
      assert.ok(rule < 60, `seed ${seed}: the run rule fires at part ${rule}`);
      assert.ok(outOfSpec > rule + 80, `seed ${seed}: first part out of spec at ${outOfSpec}, rule at ${rule}`);
    }
  });

  it('never repeats a reading twice in a row and judges the tolerance exactly', () => {
    const dimension = new DimensionModel({ ...BORE, sigma: 0, driftPer10Parts: 0 }, 'seed');
    const values = Array.from({ length: 5 }, () => dimension.measure());
    for (let index = 1; index < values.length; index += 1) assert.notEqual(values[index]!.value, values[index - 1]!.value);
    // 0.05 mm per part: 25.00, 25.05 (on the limit: in spec), 25.10.
    const steep = new DimensionModel({ ...BORE, sigma: 0, driftPer10Parts: 0.5 }, 'seed');
    assert.deepEqual([steep.measure(), steep.measure(), steep.measure()], [
      { value: 25, inSpec: true },
      { value: 25.05, inSpec: true },
      { value: 25.1, inSpec: false },
    ]);
  });

  it('changes the tool after its life in parts', () => {
    const dimension = new DimensionModel({ ...BORE, toolLifeParts: 50 }, 'seed');
    for (let part = 0; part < 49; part += 1) dimension.measure();
    assert.equal(dimension.partsSinceToolChange, 49);
    dimension.measure();
    assert.equal(dimension.partsSinceToolChange, 0);
  });
});
