import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processCapability, withinDegreesOfFreedom } from './capability.js';

const close = (actual: number | undefined, expected: number, what: string, tolerance = 1e-6): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);

describe('process capability', () => {
  it('matches a hand computation from individuals (I-MR)', () => {
    // Individuals 10.0 10.2 9.9 10.1 10.3 9.8 10.0 10.1, spec 9.4 – 10.6.
    // x̄ = 10.05; MR̄ = 1.7/7; σ within = MR̄/1.128 = 0.2152989; deviations² sum to 0.18, σ overall = √(0.18/7) = 0.1603567.
    // Cpu = (10.6 − 10.05) / (3 × 0.2152989) = 0.55 / 0.6458967 = 0.8515294; Cpl = 0.65 / 0.6458967 = 1.0063530 → Cpk = 0.8515294.
    // Cp = 1.2 / (6 × 0.2152989) = 0.9289412. Ppk = 0.55 / (3 × 0.1603567) = 1.1432842; Pp = 1.2 / 0.9621405 = 1.2472191.
    // Bissell, N = 8, ν = k − 1 = 7: Cpk ± 1.959964 × √(1/72 + 0.8515294²/14) = 0.8515294 ± 0.5023091 → [0.3492204, 1.3538384].
    const capability = processCapability({
      count: 8,
      mean: 10.05,
      sigmaWithin: 1.7 / 7 / 1.128,
      withinDf: withinDegreesOfFreedom('i-mr', 1, 8),
      sigmaOverall: Math.sqrt(0.18 / 7),
      lsl: 9.4,
      usl: 10.6,
    });
    close(capability.cpk?.value, 0.8515294, 'Cpk');
    close(capability.cpk?.lower, 0.3492204, 'Cpk lower');
    close(capability.cpk?.upper, 1.3538384, 'Cpk upper');
    close(capability.cp?.value, 0.9289412, 'Cp');
    close(capability.ppk?.value, 1.1432842, 'Ppk');
    close(capability.ppk?.lower, 0.5014055, 'Ppk lower');
    close(capability.pp?.value, 1.2472191, 'Pp');
    // Cp with ν = 7 and the exact χ² quantiles 1.689869 and 16.012764: [0.456421, 1.404987]; Wilson–Hilferty is a
    // little wide at the low end for so few degrees of freedom.
    close(capability.cp?.lower, 0.456421, 'Cp lower', 0.005);
    close(capability.cp?.upper, 1.404987, 'Cp upper', 0.001);
    assert.equal(capability.confidence, 0.95);
  });

  it('gives Bissell and chi-square intervals that match the exact tables closely with more data', () => {
    // μ = 10.0, σ = 0.1, spec 9.5 – 10.6, N = 30, ν = 29: Cpk = min(0.6, 0.5)/0.3 = 1.6666667,
    // Bissell ± 1.959964 × √(1/270 + 1.6666667²/58) → [1.2214639, 2.1118695]; Cp = 1.1/0.6 = 1.8333333,
    // exact χ² (16.047, 45.722) → [1.363764, 2.301999].
    const capability = processCapability({ count: 30, mean: 10, sigmaWithin: 0.1, withinDf: 29, sigmaOverall: 0.1, lsl: 9.5, usl: 10.6 });
    close(capability.cpk?.value, 1.6666667, 'Cpk');
    close(capability.cpk?.lower, 1.2214639, 'Cpk lower');
    close(capability.cpk?.upper, 2.1118695, 'Cpk upper');
    close(capability.cp?.lower, 1.363764, 'Cp lower', 1.363764 * 0.005);
    close(capability.cp?.upper, 2.301999, 'Cp upper', 2.301999 * 0.005);
  });

  it('uses the one limit given for Cpk and leaves Cp undefined', () => {
    const capability = processCapability({ count: 50, mean: 25.01, sigmaWithin: 0.004, withinDf: 49, sigmaOverall: 0.005, usl: 25.05 });
    assert.equal(capability.cp, null);
    assert.equal(capability.pp, null);
    close(capability.cpk?.value, 0.04 / 0.012, 'Cpu only');
    close(capability.ppk?.value, 0.04 / 0.015, 'Ppu only');
    const none = processCapability({ count: 50, mean: 25.01, sigmaWithin: 0.004, withinDf: 49, sigmaOverall: 0.005 });
    assert.equal(none.cpk, null);
    const flat = processCapability({ count: 5, mean: 25, sigmaWithin: 0, withinDf: 4, sigmaOverall: 0, lsl: 24, usl: 26 });
    assert.equal(flat.cp, null, 'no variation: no index');
  });

  it('counts the degrees of freedom of each σ estimator as Minitab does', () => {
    assert.equal(withinDegreesOfFreedom('i-mr', 1, 100), 99);
    assert.equal(withinDegreesOfFreedom('xbar-r', 5, 25), 0.9 * 25 * 4);
    assert.equal(withinDegreesOfFreedom('xbar-s', 5, 25), 0.95 * 25 * 4);
    assert.equal(withinDegreesOfFreedom('xbar-s', 6, 10), 0.96 * 10 * 5);
    assert.equal(withinDegreesOfFreedom('xbar-s', 25, 10), 0.99 * 10 * 24);
  });
});
