import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locationsIssues, type LocationsConfig } from './locations-config.js';
import { validatePlantConfig } from './plant-validation.js';

const plant = { has: (path: string) => ['acme/plant-1/assembly', 'acme/plant-1/assembly/line-1'].includes(path) };

const base = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'press-1' }] }] }] }],
};

describe('locations config', () => {
  it('accepts zones as rectangles and polygons, tags with homes, and restrictions', () => {
    const config: LocationsConfig = {
      zones: [
        { id: 'line-1', equipment: 'acme/plant-1/assembly/line-1', rect: { x: [40, 95], y: [4, 20] } },
        { id: 'crib', polygon: [[96, 4], [104, 4], [104, 12], [96, 12]], z: [0, 3] },
        { id: 'walkway', rect: { x: [25, 120], y: [52, 56] } },
      ],
      tags: [{ id: 'torque-wrench-7', kind: 'tool', home: 'crib', allowedZones: ['line-1'] }],
      restricted: [{ zone: 'walkway', kinds: ['forklift'] }],
    };
    assert.deepEqual(locationsIssues(config, plant), []);
    const result = validatePlantConfig({ ...base, locations: config });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('names unknown zone ids with the ones that exist', () => {
    const issues = locationsIssues(
      {
        zones: [{ id: 'crib', rect: { x: [0, 1], y: [0, 1] } }],
        tags: [{ id: 'wrench', kind: 'tool', home: 'crb', allowedZones: ['crib', 'line-9'] }],
        restricted: [{ zone: 'walkway', kinds: ['forklift'] }],
      },
      plant,
    );
    assert.deepEqual(issues, [
      { path: '/locations/tags/0/home', message: "unknown zone 'crb'", allowed: ['crib'] },
      { path: '/locations/tags/0/allowedZones/1', message: "unknown zone 'line-9'", allowed: ['crib'] },
      { path: '/locations/restricted/0/zone', message: "unknown zone 'walkway'", allowed: ['crib'] },
    ]);
  });

  it('refuses degenerate shapes, missing or double shapes, duplicates and unknown equipment', () => {
    const issues = locationsIssues(
      {
        zones: [
          { id: 'flat', rect: { x: [10, 10], y: [0, 5] } },
          { id: 'backwards', rect: { x: [0, 5], y: [5, 0] } },
          { id: 'line', polygon: [[0, 0], [1, 1], [2, 2]] },
          { id: 'nothing' },
          { id: 'both', rect: { x: [0, 1], y: [0, 1] }, polygon: [[0, 0], [1, 0], [0, 1]] },
          { id: 'flat', rect: { x: [0, 1], y: [0, 1] }, z: [2, 2], equipment: 'acme/plant-1/nowhere' },
        ],
        tags: [{ id: 'a', kind: 'cart' }, { id: 'a', kind: 'cart' }],
      },
      plant,
    );
    assert.deepEqual(issues.map((issue) => issue.path), [
      '/locations/zones/5/id',
      '/locations/tags/1/id',
      '/locations/zones/0/rect/x',
      '/locations/zones/1/rect/y',
      '/locations/zones/2/polygon',
      '/locations/zones/3',
      '/locations/zones/4',
      '/locations/zones/5/z',
      '/locations/zones/5/equipment',
    ]);
    assert.match(issues[2]!.message, /degenerate rectangle: x must be \[min, max\] with min < max, got \[10, 10\]/);
    assert.match(issues[4]!.message, /degenerate polygon/);
    assert.match(issues[5]!.message, /needs a shape: rect or polygon/);
  });

  it('reaches plant validation, which reports the problems with their paths', () => {
    const result = validatePlantConfig({
      ...base,
      locations: { zones: [{ id: 'crib', equipment: 'acme/plant-1/assembly/line-2', rect: { x: [5, 1], y: [0, 1] } }], tags: [{ id: 'w', kind: 'tool', home: 'cribb' }] },
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.issues.map((issue) => issue.path).sort(), ['/locations/tags/0/home', '/locations/zones/0/equipment', '/locations/zones/0/rect/x']);
  });

  it('rejects a rectangle edge that is not a pair of numbers at the schema', () => {
    const result = validatePlantConfig({ ...base, locations: { zones: [{ id: 'crib', rect: { x: [1, 2, 3], y: [0, 1] } }] } });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues[0]!.path.startsWith('/locations/zones/0/rect/x'), true, JSON.stringify(result.issues));
  });
});
