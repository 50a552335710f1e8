import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Crosswalk } from '../crosswalk.js';
import type { PlantConfig } from '../plant-config.js';
import { PlantModel } from '../plant-model.js';
import { decodeJson } from './decode.js';
import { dedupeBatch, RecentIds } from './dedupe.js';
import { canonicalJson, contentId } from './event-id.js';
import { DEFAULT_UNKNOWN_ID_POLICIES, resolveEvent, type ResolveContext } from './resolve.js';
import { validateEvent, validateSample } from './validate.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const RECEIVED = '2026-01-01T00:00:01.000Z';

const plantConfig: PlantConfig = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'press-1' }] }] }] }],
  materials: [{ id: 'steel-coil', unit: 'kg' }],
};
const PRESS = 'acme/plant-1/assembly/line-1/press-1';

function resolveContext(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    plant: new PlantModel(plantConfig),
    crosswalk: new Crosswalk([
      { kind: 'equipment', system: 'mes', externalId: 'PRESS-01', canonical: PRESS, validTo: Date.parse('2026-06-01T00:00:00Z') },
      { kind: 'equipment', system: 'mes', externalId: 'P1', canonical: PRESS, validFrom: Date.parse('2026-06-01T00:00:00Z') },
      { kind: 'workOrder', system: 'mes', externalId: 'MES-77', canonical: 'wo-4711' },
    ]),
    policies: DEFAULT_UNKNOWN_ID_POLICIES,
    materials: new Set(['steel-coil']),
    ...overrides,
  };
}

const stateEvent = (subject: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  type: 'equipment.state.changed',
  occurredAt: '2026-03-01T10:00:00+01:00',
  source: { system: 'mes' },
  subject,
  data: { state: 'execute' },
  ...extra,
});

describe('decode', () => {
  it('parses JSON and strips a byte-order mark', () => {
    const result = decodeJson(bytes('\ufeff{"a":1}'));
    assert.deepEqual(result, { ok: true, value: { a: 1 } });
  });
  it('rejects malformed JSON, empty bodies and invalid UTF-8 with PF_ERR_INGEST_DECODE', () => {
    for (const raw of [bytes('{"a":'), bytes('  '), new Uint8Array([0xff, 0xfe, 0x7b])]) {
      const result = decodeJson(raw);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.rejection.code, 'PF_ERR_INGEST_DECODE');
    }
  });
});

describe('validate', () => {
  it('normalises a valid event: UTC time, defaults, content-derived id', () => {
    const result = validateEvent(stateEvent({ equipment: PRESS }), RECEIVED);
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.value.occurredAt, '2026-03-01T09:00:00.000Z');
    assert.equal(result.value.quality, 'good');
    assert.equal(result.value.receivedAt, RECEIVED);
    assert.match(result.value.id, /^ev-[0-9a-f]{32}$/);
    const again = validateEvent(stateEvent({ equipment: PRESS }), '2026-01-02T00:00:00.000Z');
    assert.equal(again.ok && again.value.id, result.value.id, 'the same content gets the same id whenever it arrives');
  });
  it('keeps a given id', () => {
    const result = validateEvent(stateEvent({ equipment: PRESS }, { id: 'plc-123' }), RECEIVED);
    assert.equal(result.ok && result.value.id, 'plc-123');
  });
  it('rejects schema violations with the failing paths', () => {
    const result = validateEvent({ type: 'Equipment State', occurredAt: 'yesterday', source: {} }, RECEIVED);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.rejection.code, 'PF_ERR_INGEST_SCHEMA');
    const paths = (result.rejection.details as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
    assert.ok(paths.includes('/type'));
    assert.ok(paths.includes('/occurredAt'));
    assert.ok(paths.includes('/source/system'));
  });
  it('rejects unknown types, but accepts the custom. prefix', () => {
    const unknown = validateEvent({ ...stateEvent({ equipment: PRESS }), type: 'machine.broke.badly' }, RECEIVED);
    assert.equal(unknown.ok, false);
    const custom = validateEvent({ ...stateEvent({ equipment: PRESS }), type: 'custom.paint.mixed' }, RECEIVED);
    assert.equal(custom.ok, true);
  });
  it('checks the catalogue data schema and required subject', () => {
    const badState = validateEvent(stateEvent({ equipment: PRESS }, { data: { state: 'exploded' } }), RECEIVED);
    assert.equal(!badState.ok && badState.rejection.code, 'PF_ERR_INGEST_SCHEMA');
    const noEquipment = validateEvent(stateEvent({}), RECEIVED);
    assert.equal(!noEquipment.ok && noEquipment.rejection.message.includes('needs subject equipment'), true);
  });
  it('validates samples, refusing non-finite values', () => {
    assert.equal(validateSample({ equipment: PRESS, signal: 'rms', ts: 1, value: 2.5 }).ok, true);
    assert.equal(validateSample({ equipment: PRESS, signal: 'rms', ts: 1, value: 'x' }).ok, false);
    assert.equal(validateSample({ equipment: PRESS, signal: 'rms', ts: -1, value: 1 }).ok, false);
  });
});

describe('dedupe', () => {
  it('drops repeats inside a batch and recently seen ids', () => {
    const recent = new RecentIds(3);
    recent.remember(['a']);
    const { unique, duplicates } = dedupeBatch([{ id: 'a' }, { id: 'b' }, { id: 'b' }, { id: 'c' }], recent);
    assert.deepEqual(unique.map((item) => item.id), ['b', 'c']);
    assert.deepEqual(duplicates, ['a', 'b']);
  });
  it('forgets the oldest ids beyond capacity, keeping at least the newest half', () => {
    const recent = new RecentIds(4);
    recent.remember(['a', 'b', 'c', 'd', 'e', 'f']);
    assert.equal(recent.has('a'), false);
    assert.equal(recent.has('b'), false);
    assert.ok(['e', 'f'].every((id) => recent.has(id)));
  });
});

describe('resolve', () => {
  const validated = (subject: Record<string, string>, occurredAt = '2026-03-01T10:00:00Z') => {
    const result = validateEvent(stateEvent(subject, { occurredAt }), RECEIVED);
    assert.ok(result.ok);
    return result.value;
  };
  it('keeps canonical ids and maps external ids as of the event time', () => {
    const before = resolveEvent(validated({ equipment: 'PRESS-01', workOrder: 'MES-77' }), resolveContext());
    assert.deepEqual(before.ok && before.value.subject, { equipment: PRESS, workOrder: 'wo-4711' });
    const rekeyed = resolveEvent(validated({ equipment: 'PRESS-01' }, '2026-07-01T00:00:00Z'), resolveContext());
    assert.equal(!rekeyed.ok && rekeyed.rejection.code, 'PF_ERR_INGEST_UNKNOWN_ID', 'the old id expired at the re-key');
    const after = resolveEvent(validated({ equipment: 'P1' }, '2026-07-01T00:00:00Z'), resolveContext());
    assert.equal(after.ok && after.value.subject.equipment, PRESS);
  });
  it('follows the unknown-id policy: reject, flag, pass', () => {
    const event = validated({ equipment: PRESS, lot: 'LOT-9' });
    assert.equal(resolveEvent(event, resolveContext()).ok, true, 'lots pass by default');
    const flagged = resolveEvent(event, resolveContext({ policies: { ...DEFAULT_UNKNOWN_ID_POLICIES, lot: 'flag' } }));
    assert.equal(flagged.ok && flagged.value.quality, 'uncertain');
    assert.deepEqual(flagged.ok && flagged.value.data['unresolvedIds'], [{ kind: 'lot', id: 'LOT-9' }]);
    const rejected = resolveEvent(event, resolveContext({ policies: { ...DEFAULT_UNKNOWN_ID_POLICIES, lot: 'reject' } }));
    assert.equal(!rejected.ok && rejected.rejection.stage, 'resolve');
  });
});

describe('event ids', () => {
  it('hashes content independent of key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
    assert.equal(contentId('ev', { a: 1, b: 2 }), contentId('ev', { b: 2, a: 1 }));
    assert.notEqual(contentId('ev', { a: 1 }), contentId('ev', { a: 2 }));
  });
});
