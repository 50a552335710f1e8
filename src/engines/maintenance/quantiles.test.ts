import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalQuantile, studentTQuantile } from './quantiles.js';

describe('quantiles', () => {
  it('normal quantiles match tabulated values', () => {
    for (const [p, expected] of [[0.5, 0], [0.95, 1.6448536269514722], [0.975, 1.959963984540054], [0.995, 2.5758293035489004], [0.001, -3.090232306167813], [0.02, -2.053748910631823]] as const) {
      assert.ok(Math.abs(normalQuantile(p) - expected) < 1e-8, `z(${p}) = ${normalQuantile(p)}, want ${expected}`);
    }
  });

  it('Student t quantiles match tabulated values from 8 degrees of freedom on', () => {
    const table: Array<[number, number, number]> = [
      [0.95, 8, 1.859548],
      [0.975, 8, 2.306004],
      [0.995, 8, 3.355387],
      [0.95, 10, 1.812461],
      [0.975, 20, 2.085963],
      [0.995, 30, 2.749996],
      [0.975, 100, 1.983972],
      [0.95, 1000, 1.646379],
    ];
    for (const [p, df, expected] of table) {
      const actual = studentTQuantile(p, df);
      assert.ok(Math.abs(actual - expected) < 3e-4, `t(${p}, ${df}) = ${actual}, want ${expected}`);
    }
    assert.equal(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
  });

  it('rejects probabilities outside (0, 1)', () => {
    assert.throws(() => normalQuantile(1), RangeError);
    assert.throws(() => studentTQuantile(0.9, 0), RangeError);
  });
});
