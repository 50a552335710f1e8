import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULE_NUMBERS, RuleMonitor, type RuleNumber, type RuleFiring } from './nelson-rules.js';

/** Centre 0, σ 1: values are z-scores, so each series reads as a picture of the chart. */
const LIMITS = { center: 0, ucl: 3, lcl: -3, sigma: 1 };

interface Fired {
  at: number;
  rule: RuleNumber;
  side?: string;
  points: number[];
}

/** Runs a series through a monitor of the given rules; each firing with the index it fired at and its points. */
function run(series: readonly number[], rules: readonly RuleNumber[] = RULE_NUMBERS): Fired[] {
  const monitor = new RuleMonitor<number>(LIMITS, rules);
  const fired: Fired[] = [];
  series.forEach((value, index) => {
    for (const firing of monitor.push(index, value) as Array<RuleFiring<number>>) {
      fired.push({ at: index, rule: firing.rule.number, ...(firing.side === undefined ? {} : { side: firing.side }), points: firing.points });
    }
  });
  return fired;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/**
 * An in-control series by construction: points scattered on both sides, a few beyond 1σ and 2σ but never two of
 * three beyond 2σ or four of five beyond 1σ on one side, no run of nine on a side, no six-point trend, no long
 * alternation, a point beyond 1σ at least every fourteen, never eight in a row beyond 1σ.
 */
const IN_CONTROL = [
  0.4, -0.7, 1.3, 0.2, -0.5, -1.2, 0.8, 0.3, -0.1, 2.3, 0.6, -0.9, -0.4, 1.1, -1.6, 0.5, 0.9, -0.3, -2.4, 0.2,
  0.7, -0.6, 1.5, 0.1, -0.8, -0.2, 1.9, -1.1, 0.3, 0.6, -0.5, -1.4, 0.8, 2.6, -0.2, 0.4, -1.0, -0.7, 1.2, 0.2,
];

describe('Nelson rules', () => {
  it('stay silent on an in-control series', () => {
    assert.deepEqual(run(IN_CONTROL), []);
    // Each rule alone, too (no rule hides behind another's open episode).
    for (const rule of RULE_NUMBERS) assert.deepEqual(run(IN_CONTROL, [rule]), [], `rule ${rule}`);
  });

  it('rule 1: one point beyond 3σ, once per episode, each side its own episode', () => {
    //   +3σ ─────────── ●  ●
    //    CL ─ ●  ●            ●
    //   −3σ ───────────────────── ●
    assert.deepEqual(run([0.2, 0.5, 3.2, 3.5, 0.1, -3.1], [1]), [
      { at: 2, rule: 1, side: 'above', points: [2] },
      { at: 5, rule: 1, side: 'below', points: [5] },
    ]);
    assert.deepEqual(run([0.2, 2.99, -2.99, 3], [1]), [], 'a point on the limit is not beyond it');
  });

  it('rule 2: nine in a row on one side of the centre line', () => {
    const nine = [0.5, 0.2, 1.0, 0.3, 0.8, 0.1, 0.6, 0.4, 0.9];
    assert.deepEqual(run([-0.4, ...nine, 0.7, 0.2], [2]), [{ at: 9, rule: 2, side: 'above', points: range(1, 9) }], 'the tenth and eleventh continue the episode');
    assert.deepEqual(run([-0.4, ...nine.slice(0, 8), -0.1], [2]), [], 'eight are not enough');
    assert.deepEqual(run([...nine.map((value) => -value)], [2]), [{ at: 8, rule: 2, side: 'below', points: range(0, 8) }]);
    assert.deepEqual(run([...nine.slice(0, 4), 0, ...nine.slice(4)], [2]), [], 'a point on the centre line breaks the run');
    assert.deepEqual(run([...nine, -0.3, ...nine], [2]).map((fired) => fired.at), [8, 18], 'a new run is a new episode');
  });

  it('rule 3: six in a row steadily increasing or decreasing', () => {
    assert.deepEqual(run([0.4, -1.0, -0.5, 0.0, 0.3, 0.6, 0.9, 1.2], [3]), [{ at: 6, rule: 3, side: 'increasing', points: range(1, 6) }]);
    assert.deepEqual(run([0.4, -1.0, -0.5, 0.0, 0.3, 0.6, 0.5], [3]), [], 'five rises are one short');
    assert.deepEqual(run([1.5, 1.0, 0.6, 0.2, -0.1, -0.9], [3]), [{ at: 5, rule: 3, side: 'decreasing', points: range(0, 5) }]);
    assert.deepEqual(run([-1.0, -0.5, -0.5, 0.0, 0.3, 0.6, 0.9], [3]), [], 'a tie is not a rise');
  });

  it('rule 4: fourteen in a row alternating up and down', () => {
    const zigzag = range(0, 13).map((index) => (index % 2 === 0 ? 0.3 + index * 0.01 : -0.3 - index * 0.01));
    assert.deepEqual(run(zigzag, [4]), [{ at: 13, rule: 4, points: range(0, 13) }]);
    assert.deepEqual(run([...zigzag, 0.2, 0.5], [4]), [{ at: 13, rule: 4, points: range(0, 13) }], 'continues, then ends');
    assert.deepEqual(run(zigzag.slice(0, 13), [4]), [], 'thirteen are one short');
  });

  it('rule 5: two of three beyond 2σ on the same side', () => {
    assert.deepEqual(run([0.1, 2.5, -0.3, 2.2], [5]), [{ at: 3, rule: 5, side: 'above', points: [1, 3] }]);
    assert.deepEqual(run([0.1, 2.5, -2.5, 0.1, -2.1], [5]), [{ at: 4, rule: 5, side: 'below', points: [2, 4] }]);
    assert.deepEqual(run([0.1, 2.5, -2.5, 0.1, 2.1], [5]), [], 'beyond 2σ on opposite sides, or too far apart');
  });

  it('rule 6: four of five beyond 1σ on the same side', () => {
    assert.deepEqual(run([0.2, 1.5, 1.2, 0.5, 1.8, 1.1], [6]), [{ at: 5, rule: 6, side: 'above', points: [1, 2, 4, 5] }]);
    assert.deepEqual(run([0.2, 1.5, 1.2, 0.5, 1.8, 0.9], [6]), [], 'three of five');
    assert.deepEqual(run([-1.5, -1.2, -1.8, -1.1], [6]), [{ at: 3, rule: 6, side: 'below', points: [0, 1, 2, 3] }]);
  });

  it('rule 7: fifteen in a row within 1σ (stratification)', () => {
    const hugging = [0.2, -0.3, 0.5, 0.4, -0.1, -0.6, 0.3, 0.1, 0.7, -0.2, -0.5, 0.6, 0.0, -0.4, 0.3];
    assert.deepEqual(run([1.4, ...hugging, 0.2], [7]), [{ at: 15, rule: 7, points: range(1, 15) }]);
    assert.deepEqual(run([1.4, ...hugging.slice(0, 14), 1.2], [7]), [], 'fourteen are one short');
    assert.deepEqual(run(hugging, RULE_NUMBERS).map((fired) => fired.rule), [7], 'no other rule sees it');
  });

  it('rule 8: eight in a row beyond 1σ on either side (mixture)', () => {
    const mixture = [1.5, -1.5, -1.2, 1.8, 1.1, -1.3, 1.6, -1.4];
    assert.deepEqual(run([0.2, ...mixture], [8]), [{ at: 8, rule: 8, points: range(1, 8) }]);
    assert.deepEqual(run([0.2, ...mixture.slice(0, 7), 0.5], [8]), [], 'seven are one short');
    assert.deepEqual(run(mixture, RULE_NUMBERS).map((fired) => fired.rule), [8], 'no other rule sees it');
  });

  it('keeps one episode open for as long as its condition holds, over any number of points', () => {
    const shifted = Array.from({ length: 5000 }, (_, index) => 1.5 + (index % 3) * 0.2);
    assert.deepEqual(run(shifted, [2, 6]).map((fired) => [fired.at, fired.rule]), [[3, 6], [8, 2]]);
  });

  it('applies only rule 1 to a chart without zones (a range chart)', () => {
    const monitor = new RuleMonitor<number>({ center: 1, ucl: 3.267, lcl: 0 }, RULE_NUMBERS);
    assert.deepEqual(monitor.rules, [1]);
    assert.deepEqual(monitor.push(0, 3.3).map((firing) => firing.rule.number), [1]);
  });
});
