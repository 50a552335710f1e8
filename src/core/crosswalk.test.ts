import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Crosswalk } from './crosswalk.js';

describe('Crosswalk', () => {
  const crosswalk = Crosswalk.fromConfig([
    {
      kind: 'equipment',
      canonical: 'acme/p/a/press-1',
      ids: [
        { system: 'erp', id: '10004711' },
        { system: 'plc', id: 'PLC1.PRESS', validTo: '2026-05-01T00:00:00Z' },
        { system: 'plc', id: 'PLC2.PRESS', validFrom: '2026-05-01T00:00:00Z' },
      ],
    },
  ]);
  it('resolves an external id to the canonical id', () => {
    assert.equal(crosswalk.resolve('equipment', 'erp', '10004711', Date.now()), 'acme/p/a/press-1');
    assert.equal(crosswalk.resolve('equipment', 'mes', '10004711', Date.now()), undefined, 'ids are per system');
    assert.equal(crosswalk.resolve('material', 'erp', '10004711', Date.now()), undefined, 'ids are per kind');
  });
  it('honours validity intervals so history keyed by an old id still resolves', () => {
    assert.equal(crosswalk.resolve('equipment', 'plc', 'PLC1.PRESS', Date.parse('2026-04-30T23:59:59Z')), 'acme/p/a/press-1');
    assert.equal(crosswalk.resolve('equipment', 'plc', 'PLC1.PRESS', Date.parse('2026-05-01T00:00:00Z')), undefined);
    assert.equal(crosswalk.resolve('equipment', 'plc', 'PLC2.PRESS', Date.parse('2026-05-01T00:00:00Z')), 'acme/p/a/press-1');
  });
  it('lists every external id of a canonical id, with provenance', () => {
    const ids = crosswalk.externalIds('equipment', 'acme/p/a/press-1');
    assert.equal(ids.length, 3);
    assert.ok(ids.every((mapping) => mapping.provenance === 'plant.yaml'));
  });
  it('lets a later mapping override an earlier one for the same time', () => {
    const copy = new Crosswalk(crosswalk.mappings());
    copy.add({ kind: 'equipment', system: 'erp', externalId: '10004711', canonical: 'acme/p/a/press-2' });
    assert.equal(copy.resolve('equipment', 'erp', '10004711', Date.now()), 'acme/p/a/press-2');
  });
});
