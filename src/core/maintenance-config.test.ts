import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePlantConfig } from './plant-validation.js';

const base = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'cnc-1' }] }] }] }],
};
const CNC = 'acme/plant-1/assembly/line-1/cnc-1';
const prediction = { equipment: CNC, signal: 'spindle-vibration', failureAt: 11, horizonHours: 24 };

describe('maintenance config', () => {
  it('accepts a prediction with only the required keys, and with every key', () => {
    assert.equal(validatePlantConfig({ ...base, maintenance: { predictions: [prediction] } }).ok, true);
    const full = { ...prediction, rising: true, model: 'linear', baseline: 0, minSamples: 30, window: '12h', confidence: 0.95, updateEveryMinutes: 15, ignoreBelow: 1, ignoreAbove: 50, task: 'Replace the spindle bearing' };
    const result = validatePlantConfig({ ...base, maintenance: { predictions: [full] } });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('reports what the schema cannot see', () => {
    const result = validatePlantConfig({
      ...base,
      maintenance: {
        predictions: [
          { ...prediction, equipment: 'acme/plant-1/assembly/line-1/cnc-9' },
          { ...prediction, window: '48h' },
          { ...prediction, signal: 'temperature', window: '30m', minSamples: 60 },
          prediction,
          { ...prediction, signal: 'current', failureAt: -1 },
          { ...prediction, signal: 'load', ignoreBelow: 5, ignoreAbove: 2 },
        ],
      },
    });
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues;
    assert.deepEqual(issues.map((issue) => issue.path), [
      '/maintenance/predictions/0/equipment',
      '/maintenance/predictions/1/window',
      '/maintenance/predictions/2/window',
      '/maintenance/predictions/3/signal',
      '/maintenance/predictions/4/failureAt',
      '/maintenance/predictions/5/ignoreAbove',
    ]);
  });

  it('rejects keys and values outside the schema', () => {
    assert.equal(validatePlantConfig({ ...base, maintenance: { predictions: [{ ...prediction, model: 'weibull' }] } }).ok, false);
    assert.equal(validatePlantConfig({ ...base, maintenance: { predictions: [{ ...prediction, confidence: 1 }] } }).ok, false);
    assert.equal(validatePlantConfig({ ...base, maintenance: { predictions: [{ ...prediction, minSamples: 5 }] } }).ok, false);
  });
});
