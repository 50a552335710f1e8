import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitsFromBaseline, limitsFromGiven, subgroupStatistics } from './control-limits.js';

const close = (actual: number, expected: number, what: string, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);

describe('control limits', () => {
  it('I-MR from a baseline: x̄ ± 3·MR̄/d2 and MR̄·D4 (hand computed)', () => {
    // Individuals 10.0 10.2 9.9 10.1 10.3 9.8 10.0 10.1: x̄ = 80.4 / 8 = 10.05;
    // moving ranges 0.2 0.3 0.2 0.2 0.5 0.2 0.1: MR̄ = 1.7 / 7 = 0.242857…; σ = MR̄ / 1.128 = 0.215298…
    const limits = limitsFromBaseline('i-mr', 1, { meanOfPoints: 10.05, meanDispersion: 1.7 / 7 });
    close(limits.sigmaWithin, 0.2152988855, 'σ within', 1e-9);
    close(limits.location.ucl, 10.6958966565, 'UCL', 1e-9);
    close(limits.location.lcl, 9.4041033435, 'LCL', 1e-9);
    close(limits.location.sigma, 0.2152988855, 'zone width', 1e-9);
    close(limits.dispersion.center, 0.2428571429, 'MR̄', 1e-9);
    close(limits.dispersion.ucl, 3.267 * (1.7 / 7), 'MR UCL');
    assert.equal(limits.dispersion.lcl, 0);
    assert.equal(limits.location.chart, 'i');
    assert.equal(limits.dispersion.chart, 'mr');
  });

  it('X̄-R from a baseline: X̿ ± A2·R̄ and R̄·[D3, D4] (hand computed)', () => {
    // Subgroups {1,2,3,4,5}, {2,3,4,5,6}, {3,3,3,3,8}: means 3, 4, 4 → X̿ = 11/3; ranges 4, 4, 5 → R̄ = 13/3.
    const stats = [[1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 3, 3, 3, 8]].map(subgroupStatistics);
    const summary = { meanOfPoints: stats.reduce((sum, s) => sum + s.mean, 0) / 3, meanDispersion: stats.reduce((sum, s) => sum + s.range, 0) / 3 };
    const limits = limitsFromBaseline('xbar-r', 5, summary);
    close(limits.location.center, 11 / 3, 'X̿');
    close(limits.location.ucl, 11 / 3 + 0.577 * (13 / 3), 'UCL'); // 6.167
    close(limits.location.lcl, 11 / 3 - 0.577 * (13 / 3), 'LCL'); // 1.166333…
    close(limits.location.sigma, (0.577 * (13 / 3)) / 3, 'zone width');
    close(limits.dispersion.ucl, 2.114 * (13 / 3), 'R UCL'); // 9.160667
    assert.equal(limits.dispersion.lcl, 0, 'D3 = 0 for n = 5');
    close(limits.sigmaWithin, 13 / 3 / 2.326, 'σ = R̄/d2');
  });

  it('X̄-S from a baseline: X̿ ± A3·s̄ and s̄·[B3, B4]', () => {
    const limits = limitsFromBaseline('xbar-s', 5, { meanOfPoints: 10, meanDispersion: 2 });
    close(limits.location.ucl, 12.854, 'UCL', 1e-12);
    close(limits.location.lcl, 7.146, 'LCL', 1e-12);
    close(limits.dispersion.ucl, 4.178, 'S UCL', 1e-12);
    assert.equal(limits.dispersion.lcl, 0);
    close(limits.sigmaWithin, 2 / 0.94, 'σ = s̄/c4');
    const large = limitsFromBaseline('xbar-s', 10, { meanOfPoints: 10, meanDispersion: 2 });
    close(large.dispersion.lcl, 0.284 * 2, 'B3 > 0 for n = 10');
  });

  it('standard given: μ ± 3σ/√n, and dispersion limits from d2, d3 (c4 for S)', () => {
    const individuals = limitsFromGiven('i-mr', 1, 25, 0.004);
    close(individuals.location.ucl, 25.012, 'I UCL', 1e-12);
    close(individuals.dispersion.center, 1.128 * 0.004, 'MR centre');
    close(individuals.dispersion.ucl, (1.128 + 3 * 0.853) * 0.004, 'MR UCL');
    assert.equal(individuals.dispersion.lcl, 0);
    const means = limitsFromGiven('xbar-r', 5, 25, 0.004);
    close(means.location.sigma, 0.004 / Math.sqrt(5), 'σ of X̄');
    close(means.location.ucl, 25 + (3 * 0.004) / Math.sqrt(5), 'X̄ UCL');
    close(means.dispersion.ucl, (2.326 + 3 * 0.864) * 0.004, 'R UCL');
    const deviations = limitsFromGiven('xbar-s', 25, 0, 1);
    const spread = 3 * Math.sqrt(1 - 0.9896 ** 2);
    close(deviations.dispersion.lcl, 0.9896 - spread, 'B5');
    close(deviations.dispersion.ucl, 0.9896 + spread, 'B6');
  });

  it('summarises a subgroup', () => {
    const stats = subgroupStatistics([1, 2, 3, 4, 5]);
    assert.equal(stats.mean, 3);
    assert.equal(stats.range, 4);
    close(stats.sd, Math.sqrt(2.5), 'sd');
    assert.deepEqual(subgroupStatistics([7]), { mean: 7, range: 0, sd: 0 });
  });
});
