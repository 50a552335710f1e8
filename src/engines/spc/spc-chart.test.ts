import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpcCharacteristic } from '../../core/spc-config.js';
import { SpcChart, type ChartStep, type EstablishedLimits } from './spc-chart.js';

const T0 = Date.UTC(2026, 0, 5, 6);
const MINUTE = 60_000;

function characteristic(overrides: Partial<SpcCharacteristic>): SpcCharacteristic {
  return {
    id: 'bore',
    equipment: ['acme/plant-1/assembly/line-1/test-1'],
    characteristic: 'bore-diameter',
    lsl: 9.4,
    usl: 10.6,
    chart: 'i-mr',
    subgroupSize: 1,
    baseline: { kind: 'samples', samples: 8 },
    rules: [1, 2, 3, 4, 5, 6, 7, 8],
    ...overrides,
  };
}

/** Feeds values one minute apart, each with a work order; returns every step. */
function feed(chart: SpcChart, values: readonly number[], start = 0): ChartStep[] {
  return values.map((value, index) => chart.add({ value, at: T0 + (start + index) * MINUTE, workOrder: `WO-${start + index}` }));
}

const close = (actual: number | undefined, expected: number, what: string, tolerance = 1e-9): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);

/** The hand-computed baseline of control-limits.test.ts: x̄ = 10.05, MR̄ = 1.7/7. */
const BASELINE = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1];

describe('SPC chart', () => {
  it('I-MR: the first N individuals set the limits, then each point is judged on both charts', () => {
    const chart = new SpcChart(characteristic({}));
    const steps = feed(chart, BASELINE);
    assert.ok(steps.slice(0, 7).every((step) => step.established === undefined && step.point?.phase === 'baseline'));
    const established = steps[7]!.established!;
    assert.equal(established.revision, 1);
    assert.equal(established.source, 'samples');
    assert.equal(established.effectiveFromIndex, 9);
    close(established.limits.location.ucl, 10.6958966565, 'UCL', 1e-9);
    close(established.limits.dispersion.ucl, 3.267 * (1.7 / 7), 'MR UCL');
    assert.deepEqual(established.baseline, { points: 8, measurements: 8, from: T0, to: T0 + 7 * MINUTE, mean: established.baseline!.mean, sdOverall: established.baseline!.sdOverall });
    close(established.baseline?.mean, 10.05, 'baseline mean');
    close(established.baseline?.sdOverall, Math.sqrt(0.18 / 7), 'baseline sd');
    close(established.capability?.cpk?.value, 0.8515294, 'baseline Cpk (capability.test.ts)', 1e-6);

    // 10.8 is beyond the UCL (10.696); its moving range 0.7 is under the MR UCL (0.793). Then 10.0: MR 0.8 is beyond.
    const [beyond, back] = feed(chart, [10.8, 10.0], 8);
    assert.equal(beyond!.point?.phase, 'monitored');
    assert.deepEqual(beyond!.violations.map((violation) => [violation.chart, violation.rule.number, violation.side]), [['i', 1, 'above']]);
    assert.deepEqual(beyond!.violations[0]!.points, [{ index: 9, value: 10.8, at: T0 + 8 * MINUTE, workOrder: 'WO-8' }]);
    assert.deepEqual(back!.violations.map((violation) => [violation.chart, violation.rule.number, violation.side]), [['mr', 1, 'above']]);
    close(back!.violations[0]!.points[0]!.value, 0.8, 'the moving range reported');
    assert.equal(back!.violations[0]!.limits.chart, 'mr');
  });

  it('X̄-R: subgroups of n consecutive measurements; limits from R̄ (hand computed)', () => {
    const chart = new SpcChart(characteristic({ chart: 'xbar-r', subgroupSize: 5, baseline: { kind: 'samples', samples: 3 }, lsl: undefined, usl: undefined }));
    const steps = feed(chart, [1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 3, 3, 3, 3, 8]);
    assert.equal(steps.filter((step) => step.point !== undefined).length, 3, 'one point per five measurements');
    const subgroup = steps[4]!.point!;
    assert.deepEqual([subgroup.index, subgroup.value, subgroup.dispersion, subgroup.from, subgroup.at, subgroup.values], [1, 3, 4, T0, T0 + 4 * MINUTE, [1, 2, 3, 4, 5]]);
    const established = steps[14]!.established!;
    close(established.limits.location.ucl, 11 / 3 + 0.577 * (13 / 3), 'X̄ UCL');
    close(established.limits.dispersion.ucl, 2.114 * (13 / 3), 'R UCL');
    assert.equal(established.capability, null, 'no spec limits, no capability');
    // A subgroup mean beyond the UCL (6.167): {7,7,6,6,6} → 6.4, range 1.
    const next = feed(chart, [7, 7, 6, 6, 6], 15);
    assert.deepEqual(next[4]!.violations.map((violation) => [violation.chart, violation.rule.number]), [['xbar', 1]]);
    assert.deepEqual(next[4]!.violations[0]!.points.map((point) => [point.index, point.value, point.from]), [[4, 6.4, T0 + 15 * MINUTE]]);
  });

  it('X̄-S: the S chart fires rule 1 on a subgroup that spreads', () => {
    const chart = new SpcChart(characteristic({ chart: 'xbar-s', subgroupSize: 4, baseline: { kind: 'samples', samples: 2 } }));
    feed(chart, [10, 10.1, 9.9, 10, 10.05, 9.95, 10, 10]);
    assert.equal(chart.established?.limits.dispersion.chart, 's');
    const wide = feed(chart, [9, 11, 9, 11], 8);
    assert.deepEqual(wide[3]!.violations.map((violation) => violation.chart), ['s']);
  });

  it('given limits judge from the first point; a time window sets them when it has passed', () => {
    const given = new SpcChart(characteristic({ baseline: { kind: 'given', mean: 10, sigma: 0.1 } }));
    const [first] = feed(given, [10.5]);
    assert.equal(first!.established?.source, 'given');
    assert.equal(first!.established?.capability, null);
    assert.deepEqual(first!.violations.map((violation) => violation.rule.number), [1]);

    const windowed = new SpcChart(characteristic({ baseline: { kind: 'window', from: T0 + 2 * MINUTE, to: T0 + 10 * MINUTE } }));
    const steps = feed(windowed, [9.0, 9.1, ...BASELINE, 10.05]);
    assert.deepEqual(steps.map((step) => step.point?.phase), ['waiting', 'waiting', ...BASELINE.map(() => 'baseline'), 'monitored']);
    const established = steps[10]!.established!;
    assert.equal(established.source, 'window');
    assert.equal(established.effectiveFromIndex, 11);
    close(established.limits.location.center, 10.05, 'centre from the window only');
    close(established.limits.dispersion.center, 1.7 / 7, 'MR̄ from moving ranges inside the window');

    const empty = new SpcChart(characteristic({ baseline: { kind: 'window', from: T0 + 100 * MINUTE, to: T0 + 101 * MINUTE } }));
    const late = feed(empty, [10, 10.1, 10.2], 200);
    assert.ok(late.every((step) => step.point?.phase === 'waiting' && step.established === undefined));
    assert.match(empty.problem ?? '', /at least 2 points/);
  });

  it('reports an episode once: a drift past the centre line fires rule 2 once, not at every further point', () => {
    const chart = new SpcChart(characteristic({ rules: [2] }));
    feed(chart, BASELINE);
    const above = [10.1, 10.2, 10.15, 10.3, 10.1, 10.25, 10.2, 10.12, 10.4, 10.3, 10.2, 10.35];
    const steps = feed(chart, above, 8);
    const fired = steps.flatMap((step) => step.violations);
    assert.equal(fired.length, 1);
    assert.deepEqual(fired[0]!.points.map((point) => point.index), [9, 10, 11, 12, 13, 14, 15, 16, 17]);
    assert.ok(chart.isOpen('i', 2, 'above'));
    feed(chart, [9.9], 20);
    assert.equal(chart.isOpen('i', 2, 'above'), false, 'a point below the centre line ends it');
  });

  it('re-establishes the limits after recomputeAfter judged points, from the points that follow', () => {
    const chart = new SpcChart(characteristic({ baseline: { kind: 'samples', samples: 4 }, recomputeAfter: 3 }));
    feed(chart, [10.0, 10.2, 9.9, 10.1]);
    assert.equal(chart.established?.revision, 1);
    const steps = feed(chart, [10.0, 10.1, 10.0, 20.0, 20.2, 19.9, 20.1, 20.0], 4);
    // Three judged points (5–7), then 8–11 form the next baseline while still judged against revision 1.
    assert.deepEqual(steps.map((step) => step.point?.limitsRevision), [1, 1, 1, 1, 1, 1, 1, 2]);
    const revised = steps[6]!.established!;
    assert.equal(revised.revision, 2);
    close(revised.limits.location.center, (20 + 20.2 + 19.9 + 20.1) / 4, 'the new centre');
    assert.equal(revised.effectiveFromIndex, 12);
  });

  it('drops a baseline without variation and starts a fresh one', () => {
    const chart = new SpcChart(characteristic({ baseline: { kind: 'samples', samples: 3 } }));
    feed(chart, [25, 25, 25]);
    assert.equal(chart.established, undefined);
    assert.match(chart.problem ?? '', /no variation/);
    feed(chart, [25.1, 24.9, 25.0], 3);
    // Read through a function: TypeScript would keep the narrowing of the assertion above.
    const established = (): EstablishedLimits | undefined => chart.established;
    assert.equal(established()?.revision, 1);
    assert.equal(established()?.baseline?.points, 3);
  });
});
