import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DerivedEventInput } from '../../core/engine.js';
import type { StoredEvent } from '../../core/event.js';
import { resolveSpcConfig, type SpcSettings } from '../../core/spc-config.js';
import { spcEngine, type SpcState } from './spc-engine.js';

const LINE = 'acme/plant-1/assembly/line-1';
const TEST_1 = `${LINE}/test-1`;
const TEST_2 = `${LINE}/test-2`;
const T0 = Date.UTC(2026, 0, 5, 6);

const SETTINGS: SpcSettings = resolveSpcConfig({
  characteristics: [
    { id: 'bore', equipment: LINE, characteristic: 'bore-diameter', unit: 'mm', lsl: 9.4, usl: 10.6, chart: 'i-mr', baseline: { samples: 8 }, rules: [1, 2] },
  ],
});

let position = 0;
function measurement(equipment: string, minute: number, value: number, extra: { unit?: string; quality?: StoredEvent['quality']; workOrder?: string; serial?: string } = {}): StoredEvent {
  position += 1;
  return {
    id: `ev-${position}`,
    position,
    type: 'quality.measurement.recorded',
    occurredAt: new Date(T0 + minute * 60_000).toISOString(),
    receivedAt: new Date(T0 + minute * 60_000).toISOString(),
    source: { system: 'plc' },
    subject: { equipment, ...(extra.workOrder === undefined ? {} : { workOrder: extra.workOrder }), ...(extra.serial === undefined ? {} : { serial: extra.serial }) },
    data: { characteristic: 'bore-diameter', value, unit: extra.unit ?? 'mm' },
    quality: extra.quality ?? 'good',
  };
}

function runner(settings = SETTINGS): { state: SpcState; feed(events: StoredEvent[]): DerivedEventInput[] } {
  const state = spcEngine.createState!(settings);
  return {
    state,
    feed(events) {
      const emitted: DerivedEventInput[] = [];
      for (const event of events) spcEngine.handle(event, { config: settings, state, replaying: false, emit: (output) => emitted.push(output) });
      return emitted;
    },
  };
}

const BASELINE = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1];

describe('SPC engine', () => {
  it('establishes limits per machine, then emits a violation with its points, limits and order', () => {
    const engine = runner();
    const established = engine.feed(BASELINE.map((value, index) => measurement(TEST_1, index, value, { workOrder: 'WO-1' })));
    assert.equal(established.length, 1);
    const limits = established[0]!;
    assert.equal(limits.type, 'spc.limits.established');
    assert.deepEqual(limits.subject, { equipment: TEST_1, workOrder: 'WO-1' });
    assert.equal(limits.occurredAt, new Date(T0 + 7 * 60_000).toISOString());
    assert.equal(limits.data?.['characteristic'], 'bore-diameter');
    assert.equal(limits.data?.['revision'], 1);
    assert.equal((limits.data?.['location'] as { chart: string }).chart, 'i');
    assert.ok(Math.abs((limits.data?.['location'] as { ucl: number }).ucl - 10.6958966565) < 1e-9);
    assert.ok(Math.abs(((limits.data?.['capability'] as { cpk: { value: number } }).cpk.value) - 0.8515294) < 1e-6, 'baseline Cpk');

    const violated = engine.feed([measurement(TEST_1, 8, 10.8, { workOrder: 'WO-2', serial: 'SN-9' })]);
    assert.equal(violated.length, 1);
    const event = violated[0]!;
    assert.equal(event.type, 'spc.rule.violated');
    assert.deepEqual(event.subject, { equipment: TEST_1, workOrder: 'WO-2' });
    assert.equal(event.occurredAt, new Date(T0 + 8 * 60_000).toISOString());
    assert.deepEqual(
      { rule: event.data?.['rule'], ruleNumber: event.data?.['ruleNumber'], side: event.data?.['side'], chart: event.data?.['chart'], serial: event.data?.['serial'], workOrder: event.data?.['workOrder'] },
      { rule: 'rule 1: one point beyond the 3σ control limits', ruleNumber: 1, side: 'above', chart: 'i', serial: 'SN-9', workOrder: 'WO-2' },
    );
    assert.deepEqual(event.data?.['points'], [{ index: 9, value: 10.8, at: new Date(T0 + 8 * 60_000).toISOString(), workOrder: 'WO-2', serial: 'SN-9' }]);
    assert.deepEqual(Object.keys(event.data?.['limits'] as object).sort(), ['center', 'chart', 'lcl', 'sigma', 'ucl']);
    assert.deepEqual([event.data?.['lsl'], event.data?.['usl'], event.data?.['unit']], [9.4, 10.6, 'mm']);

    // The other machine below the line has its own chart: still in its baseline.
    assert.deepEqual(engine.feed([measurement(TEST_2, 9, 12)]), []);
    assert.deepEqual([...engine.state.charts.keys()].sort(), [`bore\u0000${TEST_1}`, `bore\u0000${TEST_2}`]);
  });

  it('emits once per episode: further points of the same run say nothing new', () => {
    const engine = runner();
    engine.feed(BASELINE.map((value, index) => measurement(TEST_1, index, value)));
    const above = [10.1, 10.2, 10.15, 10.3, 10.1, 10.25, 10.2, 10.12, 10.4, 10.3, 10.2, 10.35, 10.11];
    const emitted = engine.feed(above.map((value, index) => measurement(TEST_1, 8 + index, value)));
    assert.deepEqual(emitted.map((event) => event.data?.['ruleNumber']), [2]);
    assert.equal((emitted[0]!.data?.['points'] as unknown[]).length, 9);
  });

  it('skips readings it cannot chart and refuses one in another unit, changing nothing', () => {
    const engine = runner();
    engine.feed([measurement(TEST_1, 0, 10, { quality: 'bad' }), measurement(`acme/plant-1/assembly/line-2/test-3`, 0, 10)]);
    assert.equal(engine.state.charts.size, 0, 'bad quality and machines outside the path are not charted');
    assert.throws(() => engine.feed([measurement(TEST_1, 1, 0.39, { unit: 'in' })]), { code: 'PF_ERR_ENGINE_HANDLER', message: /arrived in 'in'.*charted in 'mm'/ });
    assert.equal(engine.state.charts.size, 0);
  });

  it('is deterministic: the same events give the same derived events', () => {
    const values = [...BASELINE, 10.8, 10.0, 10.1, 9.2, 10.0];
    const events = values.map((value, index) => measurement(TEST_1, index, value, { workOrder: `WO-${index}` }));
    assert.deepEqual(runner().feed(events), runner().feed(events));
  });
});
