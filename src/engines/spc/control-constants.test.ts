import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlConstants, MAX_SUBGROUP, MIN_SUBGROUP } from './control-constants.js';
import { normalCdf } from './distributions.js';

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9): about 15 significant digits for x > 0. */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = g[0]!;
  for (let index = 1; index < 9; index += 1) sum += g[index]! / (z + index);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Composite Simpson's rule over [a, b] with an even number of steps. */
function simpson(f: (x: number) => number, a: number, b: number, steps: number): number {
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let index = 1; index < steps; index += 1) sum += (index % 2 === 1 ? 4 : 2) * f(a + index * h);
  return (sum * h) / 3;
}

/** E[W] of the range W of n standard normals: ∫ 1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ dx. */
function exactD2(n: number): number {
  return simpson((x) => 1 - normalCdf(x) ** n - (1 - normalCdf(x)) ** n, -9, 9, 1800);
}

/** SD of W: E[W²] = 2 ∫∫_{x<y} P(min ≤ x, max ≥ y) dx dy, with y = x + w. */
function exactD3(n: number, d2: number): number {
  const inner = (w: number): number =>
    simpson((x) => {
      const low = normalCdf(x);
      const high = normalCdf(x + w);
      return 1 - (1 - low) ** n - high ** n + (high - low) ** n;
    }, -9, 9, 360);
  const second = 2 * simpson(inner, 0, 14, 280);
  return Math.sqrt(second - d2 * d2);
}

function exactC4(n: number): number {
  return Math.sqrt(2 / (n - 1)) * Math.exp(logGamma(n / 2) - logGamma((n - 1) / 2));
}

describe('control-chart constants', () => {
  it('has every subgroup size from 2 to 25 and refuses others', () => {
    for (let n = MIN_SUBGROUP; n <= MAX_SUBGROUP; n += 1) assert.equal(controlConstants(n).n, n);
    assert.throws(() => controlConstants(1), { code: 'PF_ERR_REQUEST_INVALID' });
    assert.throws(() => controlConstants(26), { code: 'PF_ERR_REQUEST_INVALID' });
    assert.throws(() => controlConstants(2.5), { code: 'PF_ERR_REQUEST_INVALID' });
  });

  it('prints the textbook rows (spot checks against Montgomery, Appendix VI)', () => {
    assert.deepEqual(controlConstants(2), { n: 2, d2: 1.128, d3: 0.853, c4: 0.7979, A2: 1.88, A3: 2.659, D3: 0, D4: 3.267, B3: 0, B4: 3.267 });
    assert.deepEqual(controlConstants(5), { n: 5, d2: 2.326, d3: 0.864, c4: 0.94, A2: 0.577, A3: 1.427, D3: 0, D4: 2.114, B3: 0, B4: 2.089 });
    assert.deepEqual(controlConstants(25), { n: 25, d2: 3.931, d3: 0.708, c4: 0.9896, A2: 0.153, A3: 0.606, D3: 0.459, D4: 1.541, B3: 0.565, B4: 1.435 });
  });

  it('agrees with the definitions of every constant to the printed precision', () => {
    for (let n = MIN_SUBGROUP; n <= MAX_SUBGROUP; n += 1) {
      const table = controlConstants(n);
      const d2 = exactD2(n);
      const d3 = exactD3(n, d2);
      const c4 = exactC4(n);
      const spread = Math.sqrt(1 - c4 * c4) / c4;
      // Printed to 3 decimals (c4 to 4): half a unit of the last digit, plus a little for the numerical integration.
      const near = (name: string, printed: number, exact: number, tolerance: number): void =>
        assert.ok(Math.abs(printed - exact) <= tolerance, `n=${n} ${name}: table ${printed}, computed ${exact.toFixed(5)}`);
      near('d2', table.d2, d2, 0.0005 + 1e-6);
      near('d3', table.d3, d3, 0.0005 + 1e-4);
      near('c4', table.c4, c4, 0.00005 + 1e-7);
      near('A2', table.A2, 3 / (d2 * Math.sqrt(n)), 0.0005 + 1e-6);
      near('A3', table.A3, 3 / (c4 * Math.sqrt(n)), 0.0005 + 1e-6);
      // D3 and D4 were printed from rounded d2 and d3: n = 18 shows 1.608 where 1 + 3·d3/d2 is 1.6087. A whole unit.
      near('D3', table.D3, Math.max(0, 1 - (3 * d3) / d2), 0.001);
      near('D4', table.D4, 1 + (3 * d3) / d2, 0.001);
      near('B3', table.B3, Math.max(0, 1 - 3 * spread), 0.0005 + 1e-6);
      near('B4', table.B4, 1 + 3 * spread, 0.0005 + 1e-6);
    }
  });
});
