import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePlantConfig } from './plant-validation.js';
import { resolveSpcConfig, spcIssues, type SpcConfig } from './spc-config.js';

const TEST_1 = 'acme/plant-1/assembly/line-1/test-1';
const TEST_2 = 'acme/plant-1/assembly/line-1/test-2';
const plant = { has: (path: string) => ['acme/plant-1/assembly/line-1', TEST_1, TEST_2].includes(path) };

const base = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'test-1' }, { id: 'test-2' }] }] }] }],
};

describe('spc config', () => {
  it('accepts each chart and baseline form and fills in the defaults', () => {
    const config: SpcConfig = {
      characteristics: [
        { id: 'bore', equipment: [TEST_1, TEST_2], characteristic: 'bore-diameter', unit: 'mm', lsl: 24.95, usl: 25.05, target: 25, chart: 'i-mr' },
        { id: 'bore-means', equipment: 'acme/plant-1/assembly/line-1', characteristic: 'bore-diameter', chart: 'xbar-r', subgroupSize: 5, rules: [6, 1, 2], recomputeAfter: 200, baseline: { samples: 20 } },
        { id: 'bore-window', equipment: TEST_1, characteristic: 'bore-diameter', chart: 'xbar-s', subgroupSize: 8, baseline: { from: '2026-01-05T06:00:00Z', to: '2026-01-05T14:00:00Z' } },
        { id: 'bore-given', equipment: TEST_1, characteristic: 'bore-diameter', chart: 'i-mr', subgroupSize: 1, baseline: { mean: 25, sigma: 0.004 } },
      ],
    };
    assert.deepEqual(spcIssues(config, plant), []);
    const result = validatePlantConfig({ ...base, spc: config });
    assert.equal(result.ok, true, JSON.stringify(result));
    const settings = resolveSpcConfig(config);
    assert.equal(settings.confidence, 0.95);
    const [bore, means, window, given] = settings.characteristics;
    assert.deepEqual(bore, {
      id: 'bore', equipment: [TEST_1, TEST_2], characteristic: 'bore-diameter', unit: 'mm', lsl: 24.95, usl: 25.05, target: 25,
      chart: 'i-mr', subgroupSize: 1, baseline: { kind: 'samples', samples: 100 }, rules: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    assert.deepEqual(means?.equipment, ['acme/plant-1/assembly/line-1']);
    assert.deepEqual(means?.rules, [1, 2, 6]);
    assert.deepEqual(means?.baseline, { kind: 'samples', samples: 20 });
    assert.equal(means?.recomputeAfter, 200);
    assert.deepEqual(window?.baseline, { kind: 'window', from: Date.UTC(2026, 0, 5, 6), to: Date.UTC(2026, 0, 5, 14) });
    assert.deepEqual(given?.baseline, { kind: 'given', mean: 25, sigma: 0.004 });
    const subgroups = resolveSpcConfig({ characteristics: [{ id: 'x', equipment: TEST_1, characteristic: 'c', chart: 'xbar-r', subgroupSize: 4 }] });
    assert.deepEqual(subgroups.characteristics[0]?.baseline, { kind: 'samples', samples: 25 }, '25 subgroups by default');
    assert.deepEqual(resolveSpcConfig(undefined), { confidence: 0.95, characteristics: [] });
  });

  it('explains what is wrong, with the path of each problem', () => {
    const issues = spcIssues(
      {
        characteristics: [
          { id: 'a', equipment: 'acme/plant-1/assembly/line-9/test-1', characteristic: 'c', chart: 'i-mr', subgroupSize: 5, lsl: 25.05, usl: 24.95 },
          { id: 'a', equipment: [TEST_1, 'nowhere'], characteristic: 'c', chart: 'xbar-r', target: 30, usl: 26 },
          { id: 'b', equipment: TEST_1, characteristic: 'c', chart: 'xbar-s', subgroupSize: 5, baseline: { from: '2026-01-05T06:00:00Z' } },
          { id: 'c', equipment: TEST_1, characteristic: 'c', chart: 'i-mr', baseline: { samples: 20, mean: 25, sigma: 0.1 } },
          { id: 'd', equipment: TEST_1, characteristic: 'c', chart: 'i-mr', baseline: { mean: 25, sigma: 0.1 }, recomputeAfter: 50 },
          { id: 'e', equipment: TEST_1, characteristic: 'c', chart: 'i-mr', baseline: { from: '2026-01-05T14:00:00Z', to: '2026-01-05T06:00:00Z' } },
          { id: 'f', equipment: TEST_1, characteristic: 'c', chart: 'i-mr', baseline: { mean: 25 } },
          { id: 'g', equipment: TEST_1, characteristic: 'c', chart: 'i-mr', baseline: {} },
        ],
      },
      plant,
    );
    assert.deepEqual(issues, [
      { path: '/spc/characteristics/0/equipment', message: "'acme/plant-1/assembly/line-9/test-1' is not a path of this plant (a machine, cell or line path such as enterprise/site/area/line/machine)" },
      { path: '/spc/characteristics/0/subgroupSize', message: 'an i-mr chart plots individual values: subgroupSize must be 1 (or left out), not 5' },
      { path: '/spc/characteristics/0/usl', message: 'usl (24.95) must be above lsl (25.05)' },
      { path: '/spc/characteristics/1/id', message: "duplicate id 'a' (also at /spc/characteristics/0)" },
      { path: '/spc/characteristics/1/equipment/1', message: "'nowhere' is not a path of this plant (a machine, cell or line path such as enterprise/site/area/line/machine)" },
      { path: '/spc/characteristics/1/subgroupSize', message: 'an xbar-r chart needs subgroupSize 2 to 25 (use i-mr for single measurements)' },
      { path: '/spc/characteristics/1/target', message: 'target (30) lies outside the spec limits' },
      { path: '/spc/characteristics/2/baseline', message: 'a time-window baseline needs both from and to' },
      { path: '/spc/characteristics/3/baseline', message: 'give only one form of baseline: { samples: N }, { from, to } or { mean, sigma }, not a mix' },
      { path: '/spc/characteristics/4/recomputeAfter', message: 'recomputeAfter re-establishes the limits from the next { samples: N } points; it cannot be combined with a { from, to } or { mean, sigma } baseline' },
      { path: '/spc/characteristics/5/baseline/to', message: 'the baseline window must end after it starts' },
      { path: '/spc/characteristics/6/baseline', message: 'given limits need both mean and sigma' },
      { path: '/spc/characteristics/7/baseline', message: 'give one form of baseline: { samples: N }, { from, to } or { mean, sigma }' },
    ]);
  });

  it('is checked by plant.yaml validation: schema errors name the key and what is allowed', () => {
    const result = validatePlantConfig({
      ...base,
      spc: { characteristics: [{ id: 'bore', equipment: TEST_1, characteristic: 'bore-diameter', chart: 'p-chart', rules: [2, 9], baseline: { samples: 1 }, colour: 'red' }] },
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const byPath = new Map(result.issues.map((issue) => [issue.path, issue]));
    assert.deepEqual(byPath.get('/spc/characteristics/0/chart')?.allowed, ['i-mr', 'xbar-r', 'xbar-s']);
    assert.ok(byPath.has('/spc/characteristics/0/rules/1'), 'rule 9 does not exist');
    assert.ok(byPath.has('/spc/characteristics/0/baseline/samples'), 'a baseline of one point');
    assert.equal(byPath.get('/spc/characteristics/0/colour')?.message, "unknown key 'colour'");
    const references = validatePlantConfig({ ...base, spc: { characteristics: [{ id: 'bore', equipment: 'acme/plant-1/nowhere', characteristic: 'bore-diameter', chart: 'i-mr' }] } });
    assert.equal(references.ok, false);
    if (!references.ok) assert.equal(references.issues[0]?.path, '/spc/characteristics/0/equipment');
  });
});
