import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MappingResult } from '../../core/mapping.js';
import type { MtconnectBinding } from './config.js';
import { parseAgentDocument, type DataItemInfo, type Observation } from './documents.js';
import { bindingMatches, mapCondition, mapConditionSnapshot, mapObservations, toRawReading, type ConditionMemory } from './mapping.js';

const SHARED = fileURLToPath(new URL('../../../../shared/data/mtconnect/', import.meta.url));
const source = { system: 'plc', connector: 'vmc-agent' };
const VMC = 'acme/plant-1/machining/cell-1/vmc-1';
const T0 = Date.UTC(2026, 10, 22, 12);

function observation(overrides: Partial<Observation> & Pick<Observation, 'dataItemId' | 'element'>): Observation {
  return { device: 'VMC-3Axis', deviceUuid: '000', sequence: 1, ts: T0, category: 'EVENT', ...overrides };
}

const condition = (element: string, extra: Partial<Observation> = {}) =>
  observation({ dataItemId: 'Xloadc', category: 'CONDITION', element, conditionType: 'LOAD', ...extra });

const alarm: MtconnectBinding = { dataItemId: 'Xloadc', equipment: VMC, signal: 'x-load', as: 'alarm' };

function events(results: readonly MappingResult[]): Array<{ type: string; data: Record<string, unknown> | undefined }> {
  return results.flatMap((result) => (result.kind === 'event' ? [{ type: result.event.type, data: result.event.data }] : []));
}

describe('MTConnect mapping', () => {
  it('matches bindings by data item id and, when given, device name or uuid', () => {
    const item = { device: 'VMC-3Axis', deviceUuid: '000', dataItemId: 'x2' };
    assert.equal(bindingMatches({ dataItemId: 'x2', equipment: VMC, signal: 's', as: 'sample' }, item), true);
    assert.equal(bindingMatches({ dataItemId: 'x2', device: 'VMC-3Axis', equipment: VMC, signal: 's', as: 'sample' }, item), true);
    assert.equal(bindingMatches({ dataItemId: 'x2', device: '000', equipment: VMC, signal: 's', as: 'sample' }, item), true);
    assert.equal(bindingMatches({ dataItemId: 'x2', device: 'Haas_1', equipment: VMC, signal: 's', as: 'sample' }, item), false);
    assert.equal(bindingMatches({ dataItemId: 'x3', equipment: VMC, signal: 's', as: 'sample' }, item), false);
  });

  it('reads UNAVAILABLE as a bad reading without a value', () => {
    assert.deepEqual(toRawReading(observation({ dataItemId: 'x2', element: 'Position', value: 'UNAVAILABLE' })), {
      address: 'VMC-3Axis/x2', value: null, ts: T0, quality: 'bad', status: 'UNAVAILABLE',
    });
    assert.deepEqual(toRawReading(observation({ dataItemId: 'x2', element: 'Position', value: '1.5' })), { address: 'VMC-3Axis/x2', value: '1.5', ts: T0, quality: 'good' });
  });

  it('maps samples and events through core, at the agent\'s timestamp, UNAVAILABLE as bad quality', () => {
    const bindings: MtconnectBinding[] = [
      { dataItemId: 'x2', equipment: VMC, signal: 'x-position', as: 'sample' },
      { dataItemId: 'cn6', equipment: VMC, signal: 'execution', as: 'state' },
      { dataItemId: 'cn3', equipment: VMC, signal: 'mode', as: 'event', eventType: 'signal.value.changed' },
      { dataItemId: 'pc', equipment: VMC, signal: 'parts', as: 'count' },
      { dataItemId: 'c2', equipment: VMC, signal: 'spindle-load', as: 'measurement' },
    ];
    const info = (id: string, type: string, units?: string): DataItemInfo => ({ id, category: 'EVENT', type, device: 'VMC-3Axis', deviceUuid: '000', component: 'Path', ...(units ? { units } : {}) });
    const catalogue = new Map([['cn6', info('cn6', 'EXECUTION')], ['c2', info('c2', 'SPINDLE_SPEED', 'REVOLUTION/MINUTE')]]);
    const lookup = (_uuid: string, id: string) => catalogue.get(id);
    const memory = new Map();
    const conditions: ConditionMemory = new Map();
    const mapped = mapObservations(
      [
        observation({ dataItemId: 'x2', category: 'SAMPLE', element: 'Position', value: '-15.775', sequence: 1 }),
        observation({ dataItemId: 'cn6', element: 'Execution', value: 'ACTIVE', sequence: 2, ts: T0 + 1 }),
        observation({ dataItemId: 'cn3', element: 'ControllerMode', value: 'AUTOMATIC', sequence: 3 }),
        observation({ dataItemId: 'pc', element: 'PartCount', value: '10', sequence: 4 }),
        observation({ dataItemId: 'pc', element: 'PartCount', value: '13', sequence: 5, ts: T0 + 5 }),
        observation({ dataItemId: 'c2', category: 'SAMPLE', element: 'SpindleSpeed', value: '1215.6', sequence: 6 }),
        observation({ dataItemId: 'x2', category: 'SAMPLE', element: 'Position', value: 'UNAVAILABLE', sequence: 7, ts: T0 + 7 }),
        observation({ dataItemId: 'cn6', element: 'Execution', value: 'UNAVAILABLE', sequence: 8, ts: T0 + 8 }),
        observation({ dataItemId: 'cn6', element: 'Execution', value: 'SPINNING', sequence: 9 }),
        observation({ dataItemId: 'unbound', element: 'Line', value: '66', sequence: 10 }),
      ],
      bindings, lookup, memory, conditions, source,
    );
    assert.deepEqual(mapped.samples, [
      { equipment: VMC, signal: 'x-position', ts: T0, value: -15.775, quality: 'good' },
      { equipment: VMC, signal: 'x-position', ts: T0 + 7, value: -15.775, quality: 'bad' },
    ]);
    const [active, mode, count, measurement, stale] = mapped.events;
    assert.deepEqual(active?.data, { state: 'execute' }, 'EXECUTION values map to PackML states by default');
    assert.equal(active?.occurredAt, new Date(T0 + 1).toISOString());
    assert.deepEqual(active?.source, { system: 'plc', connector: 'vmc-agent', address: 'VMC-3Axis/cn6' });
    assert.deepEqual(active?.subject, { equipment: VMC });
    assert.deepEqual(mode?.data, { signal: 'mode', value: 'AUTOMATIC' });
    assert.deepEqual(count?.data, { good: 3, total: 13 });
    assert.deepEqual(measurement?.data, { characteristic: 'spindle-load', value: 1215.6, unit: 'REVOLUTION/MINUTE' }, 'units come from the probe');
    assert.deepEqual({ data: stale?.data, quality: stale?.quality }, { data: { state: 'execute', status: 'UNAVAILABLE' }, quality: 'bad' });
    assert.equal(mapped.events.length, 5);
    assert.equal(mapped.rejected.length, 1);
    assert.match(mapped.rejected[0]!.message, /SPINNING is not in the enum map/);
  });

  it('raises Warning and Fault with severity and native code, clears on Normal', () => {
    const memory: ConditionMemory = new Map();
    const warning = events(mapCondition(alarm, condition('Warning', { nativeCode: 'X101', nativeSeverity: '2', value: 'X axis load high' }), memory, source));
    assert.deepEqual(warning, [
      { type: 'alarm.raised', data: { alarm: 'x-load:X101', severity: 500, level: 'warning', message: 'X axis load high', nativeCode: 'X101', nativeSeverity: '2', conditionType: 'LOAD' } },
    ]);
    assert.deepEqual(mapCondition(alarm, condition('Warning', { nativeCode: 'X101' }), memory, source).map((result) => result.kind), ['skip'], 'the same level again is no news');
    const fault = events(mapCondition(alarm, condition('Fault', { nativeCode: 'X101' }), memory, source));
    assert.deepEqual(fault.map((event) => [event.type, event.data?.['severity'], event.data?.['level']]), [['alarm.raised', 900, 'fault']], 'an escalation raises again');
    assert.deepEqual(mapCondition(alarm, condition('Unavailable'), memory, source).map((result) => result.kind), ['skip'], 'unavailable leaves the alarm as it was');
    const cleared = events(mapCondition(alarm, condition('Normal', { nativeCode: 'X101' }), memory, source));
    assert.deepEqual(cleared, [{ type: 'alarm.cleared', data: { alarm: 'x-load:X101', nativeCode: 'X101' } }]);
    assert.deepEqual(mapCondition(alarm, condition('Normal'), memory, source).map((result) => result.kind), ['skip']);
  });

  it('clears every active alarm of an item on a Normal without native code', () => {
    const memory: ConditionMemory = new Map();
    mapCondition(alarm, condition('Warning', { nativeCode: 'A' }), memory, source);
    mapCondition(alarm, condition('Fault', { nativeCode: 'B' }), memory, source);
    mapCondition(alarm, condition('Warning'), memory, source);
    const cleared = events(mapCondition(alarm, condition('Normal', { ts: T0 + 9 }), memory, source));
    assert.deepEqual(cleared.map((event) => event.data?.['alarm']), ['x-load:A', 'x-load:B', 'x-load']);
    assert.ok(cleared.every((event) => event.type === 'alarm.cleared'));
  });

  it('takes a current answer\'s conditions as the complete set of active alarms', () => {
    const memory: ConditionMemory = new Map();
    mapCondition(alarm, condition('Warning', { nativeCode: 'A' }), memory, source);
    mapCondition(alarm, condition('Warning', { nativeCode: 'B' }), memory, source);
    const resync = events(mapConditionSnapshot(alarm, [condition('Warning', { nativeCode: 'B' }), condition('Fault', { nativeCode: 'C' })], memory, source));
    assert.deepEqual(resync.map((event) => [event.type, event.data?.['alarm']]), [['alarm.cleared', 'x-load:A'], ['alarm.raised', 'x-load:C']]);
    const allClear = events(mapConditionSnapshot(alarm, [condition('Normal')], memory, source));
    assert.deepEqual(allClear.map((event) => [event.type, event.data?.['alarm']]), [['alarm.cleared', 'x-load:B'], ['alarm.cleared', 'x-load:C']]);
  });

  it('rejects a condition bound as anything but an alarm', () => {
    const [result] = mapCondition({ ...alarm, as: 'state' }, condition('Warning'), new Map(), source);
    assert.equal(result?.kind, 'reject');
  });

  it('maps the recorded current: the active X axis load warning, positions, execution', { skip: existsSync(SHARED) ? false : `shared data not found at ${SHARED}` }, () => {
    const parsed = parseAgentDocument(readFileSync(`${SHARED}recorded/current.xml`));
    assert.ok(parsed.ok && parsed.document.kind === 'streams');
    const bindings: MtconnectBinding[] = [
      alarm,
      { dataItemId: 'x2', device: 'VMC-3Axis', equipment: VMC, signal: 'x-position', as: 'sample' },
      { dataItemId: 'y2', equipment: VMC, signal: 'y-position', as: 'sample' },
      { dataItemId: 'cn6', equipment: VMC, signal: 'execution', as: 'state', enum: { ACTIVE: 'execute', READY: 'idle' } },
    ];
    const mapped = mapObservations(parsed.document.observations, bindings, () => undefined, new Map(), new Map(), source, true);
    assert.deepEqual(mapped.samples, [{ equipment: VMC, signal: 'x-position', ts: Date.parse('2026-11-22T12:21:33.632Z'), value: -15.775, quality: 'good' }], 'y2 is UNAVAILABLE with no value known: skipped');
    assert.deepEqual(mapped.events.map((event) => [event.type, event.data?.['state'] ?? event.data?.['alarm']]), [
      ['equipment.state.changed', 'execute'],
      ['alarm.raised', 'x-load:X101'],
    ]);
    assert.deepEqual(mapped.rejected, []);
  });
});
