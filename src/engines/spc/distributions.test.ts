import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareQuantile, normalCdf, normalQuantile } from './distributions.js';

const close = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

describe('distributions', () => {
  it('gives the normal CDF of the printed tables', () => {
    close(normalCdf(0), 0.5, 1e-7, 'Φ(0)');
    close(normalCdf(1.96), 0.9750021, 1e-7, 'Φ(1.96)');
    close(normalCdf(-3), 0.0013499, 1e-7, 'Φ(−3)');
    close(normalCdf(1), 0.8413447, 1e-7, 'Φ(1)');
  });

  it('inverts it: the normal quantiles of the printed tables', () => {
    close(normalQuantile(0.975), 1.959963985, 1e-8, 'z(0.975)');
    close(normalQuantile(0.05), -1.644853627, 1e-8, 'z(0.05)');
    close(normalQuantile(0.999), 3.090232306, 1e-8, 'z(0.999)');
    close(normalQuantile(0.005), -2.575829304, 1e-8, 'z(0.005)');
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
    for (const p of [0.001, 0.01, 0.2, 0.7, 0.99]) close(normalCdf(normalQuantile(p)), p, 2e-7, `Φ(z(${p}))`);
  });

  it('approximates chi-square quantiles (Wilson–Hilferty) within 1 % of the exact table values', () => {
    // Exact values: e.g. NIST/SEMATECH e-Handbook 1.3.6.7.4, "Critical values of the chi-square distribution".
    const table: Array<[number, number, number]> = [
      [0.025, 9, 2.700389],
      [0.975, 9, 19.022768],
      [0.05, 24, 13.848425],
      [0.95, 24, 36.415029],
      [0.025, 99, 73.361],
      [0.975, 99, 128.422],
      [0.025, 29, 16.047],
      [0.975, 29, 45.722],
    ];
    for (const [p, nu, exact] of table) close(chiSquareQuantile(p, nu), exact, exact * 0.01, `χ²(${p}, ${nu})`);
    assert.ok(Number.isNaN(chiSquareQuantile(0.5, 0)));
    assert.ok(chiSquareQuantile(0.975, 12.5) > chiSquareQuantile(0.975, 12), 'fractional degrees of freedom are fine');
  });
});
