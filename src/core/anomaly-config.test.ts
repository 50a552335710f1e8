import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anomalyIssues, equipmentSelected } from './anomaly-config.js';
import { validatePlantConfig } from './plant-validation.js';

const base = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'utilities', equipment: [{ id: 'compressor-1' }, { id: 'power-meter-1' }] }] }],
};
const COMPRESSOR = 'acme/plant-1/utilities/compressor-1';

describe('anomaly config', () => {
  it('accepts paths and prefixes of the plant, with thresholds in (0, 1)', () => {
    const result = validatePlantConfig({
      ...base,
      anomaly: { threshold: 0.45, cooldownMinutes: 10, signals: [{ equipment: COMPRESSOR, signal: 'pressure', threshold: 0.6 }, { equipment: 'acme/plant-1/utilities/*', signal: '*' }] },
    });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('matches a path exactly and a prefix by its start', () => {
    assert.equal(equipmentSelected(COMPRESSOR, COMPRESSOR), true);
    assert.equal(equipmentSelected(COMPRESSOR, `${COMPRESSOR}-2`), false);
    assert.equal(equipmentSelected('acme/plant-1/utilities/*', COMPRESSOR), true);
    assert.equal(equipmentSelected('*', COMPRESSOR), true);
  });

  it('reports unknown paths, empty prefixes, misplaced wildcards and out-of-range thresholds', () => {
    const result = validatePlantConfig({
      ...base,
      anomaly: {
        signals: [
          { equipment: 'acme/plant-1/utilities/compressor-9', signal: 'pressure' },
          { equipment: 'acme/plant-2/*', signal: 'power' },
          { equipment: 'acme/*/utilities', signal: 'power' },
          { equipment: COMPRESSOR, signal: 'press*' },
        ],
      },
    });
    assert.equal(result.ok, false);
    const paths = result.ok ? [] : result.issues.map((issue) => issue.path);
    assert.deepEqual(paths, ['/anomaly/signals/0/equipment', '/anomaly/signals/1/equipment', '/anomaly/signals/2/equipment', '/anomaly/signals/3/signal']);
    const threshold = validatePlantConfig({ ...base, anomaly: { threshold: 1, signals: [] } });
    assert.equal(threshold.ok, false);
    assert.deepEqual(anomalyIssues(undefined, { nodes: () => [] }), []);
  });
});
