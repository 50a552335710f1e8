import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateOee, computeOee, type OeeInput } from './oee-calculator.js';

const at = (hour: number, minute = 0, second = 0) => Date.UTC(2026, 0, 5, hour, minute, second);
const EARLY = { start: at(6), end: at(14) };
const LATE = { start: at(14), end: at(22) };
const close = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('OEE (ISO 22400-2)', () => {
  it('computes the time model, the three factors, MTBF and MTTR for a shift (hand-computed)', () => {
    const input: OeeInput = {
      windows: [EARLY],
      initial: { state: 'idle' },
      states: [
        { at: at(6), state: 'execute' },
        { at: at(7), state: 'faulted', reason: 'spindle' },
        { at: at(7, 30), state: 'execute' },
        { at: at(13), state: 'idle' },
      ],
      counts: [
        { at: at(8), good: 500, scrap: 50 },
        { at: at(12), good: 400, scrap: 50 },
      ],
      until: at(14),
      options: { idealCycleSeconds: 20 },
    };
    const result = computeOee(input);
    assert.equal(result.plannedBusySeconds, 28_800);
    assert.equal(result.actualProductionSeconds, 23_400, '1 h + 5.5 h in execute');
    assert.equal(result.downSeconds, 1_800);
    assert.equal(result.delaySeconds, 3_600, 'the last hour idle');
    assert.deepEqual(result.downtimeByReason, { spindle: 1_800 });
    close(result.availability, 23_400 / 28_800);
    close(result.performance, (20 * 1_000) / 23_400);
    close(result.quality, 0.9);
    close(result.oee, (23_400 / 28_800) * ((20 * 1_000) / 23_400) * 0.9);
    assert.equal(result.failures, 1);
    assert.equal(result.mttrSeconds, 1_800);
    assert.equal(result.mtbfSeconds, 23_400 / 2, 'one failure splits operating time in two');
  });

  it('counts no loss where no shift is planned, and reports parts made there apart', () => {
    const result = computeOee({ windows: [], states: [{ at: at(2), state: 'execute' }], counts: [{ at: at(3), good: 10, scrap: 0 }], until: at(5), options: { idealCycleSeconds: 20 } });
    assert.equal(result.plannedBusySeconds, 0);
    assert.equal(result.availability, null, 'no planned time: no availability, not 0 %');
    assert.equal(result.oee, null);
    assert.equal(result.outsidePlannedQuantity, 10);
    assert.equal(result.producedQuantity, 0);
  });

  it('splits a stop that spans a shift boundary, and counts its failure in the shift it started', () => {
    const input = (window: { start: number; end: number }): OeeInput => ({
      windows: [window],
      initial: { state: 'execute' },
      states: [{ at: at(13, 30), state: 'faulted', reason: 'hydraulics' }, { at: at(14, 30), state: 'execute' }],
      counts: [],
      until: at(22),
      options: { idealCycleSeconds: 10 },
    });
    const early = computeOee(input(EARLY));
    const late = computeOee(input(LATE));
    assert.equal(early.downSeconds, 1_800);
    assert.equal(late.downSeconds, 1_800);
    assert.equal(early.failures, 1);
    assert.equal(late.failures, 0, 'a fault carried into the shift is not a new failure');
    assert.equal(late.mttrSeconds, null);
    assert.equal(early.actualProductionSeconds + late.actualProductionSeconds, 16 * 3_600 - 3_600);
  });

  it('treats short stops between runs as speed losses (micro-stops), longer ones as downtime', () => {
    const result = computeOee({
      windows: [{ start: at(6), end: at(7) }],
      initial: { state: 'execute' },
      states: [
        { at: at(6, 10), state: 'suspended' },
        { at: at(6, 11), state: 'execute' },
        { at: at(6, 20), state: 'suspended' },
        { at: at(6, 25), state: 'execute' },
      ],
      counts: [{ at: at(6, 30), good: 100, scrap: 0 }],
      until: at(7),
      options: { idealCycleSeconds: 30, microStopSeconds: 120 },
    });
    assert.deepEqual(result.microStops, { count: 1, seconds: 60 });
    assert.equal(result.actualProductionSeconds, 3_600 - 300, 'the 60 s stop stays in production time');
    assert.equal(result.downSeconds, 300);
    close(result.performance, 3_000 / 3_300);
  });

  it('files stops without a reason under unknown until an operator gives one, and excludes planned downtime', () => {
    const base: OeeInput = {
      windows: [{ start: at(6), end: at(8) }],
      initial: { state: 'execute' },
      states: [{ at: at(6, 30), state: 'stopped' }, { at: at(7), state: 'execute' }, { at: at(7, 30), state: 'stopped', reason: 'break' }],
      counts: [],
      until: at(8),
      options: { idealCycleSeconds: 10, plannedReasons: ['break'] },
    };
    const unknown = computeOee(base);
    assert.deepEqual(unknown.downtimeByReason, { unknown: 1_800 });
    assert.equal(unknown.plannedDowntimeSeconds, 1_800);
    assert.equal(unknown.plannedBusySeconds, 5_400, 'the planned break is not a loss');
    const explained = computeOee({ ...base, reasons: [{ at: at(7, 5), reason: 'material-shortage', stopAt: at(6, 45) }] });
    assert.deepEqual(explained.downtimeByReason, { 'material-shortage': 1_800 });
  });

  it('does not judge time before the first report, and sets changeovers apart as setup', () => {
    const result = computeOee({
      windows: [{ start: at(6), end: at(8) }],
      states: [{ at: at(6, 30), state: 'stopped', reason: 'changeover' }, { at: at(7), state: 'execute' }],
      counts: [],
      until: at(8),
      options: { setupReasons: ['changeover'] },
    });
    assert.equal(result.plannedBusySeconds, 5_400, 'the half hour before the machine first reported is not planned time');
    assert.deepEqual(result.downtimeByReason, {});
    assert.equal(result.setupSeconds, 1_800);
    assert.equal(result.performance, null, 'no ideal cycle time: no performance, not 100 %');
    const silent = computeOee({ windows: [{ start: at(6), end: at(8) }], states: [], counts: [], until: at(8) });
    assert.equal(silent.plannedBusySeconds, 0, 'a machine that never reported is not judged');
  });

  it('judges an open window only up to now', () => {
    const result = computeOee({ windows: [EARLY], initial: { state: 'execute' }, states: [], counts: [], until: at(7), options: { idealCycleSeconds: 1 } });
    assert.equal(result.plannedBusySeconds, 3_600);
    close(result.availability, 1);
  });

  it('aggregates a line from its units by summing time and quantity elements', () => {
    const press = computeOee({ windows: [EARLY], initial: { state: 'execute' }, states: [{ at: at(10), state: 'faulted' }, { at: at(12), state: 'execute' }], counts: [{ at: at(9), good: 900, scrap: 100 }], until: at(14), options: { idealCycleSeconds: 20 } });
    const cnc = computeOee({ windows: [EARLY], initial: { state: 'execute' }, states: [], counts: [{ at: at(9), good: 500, scrap: 0 }], until: at(14), options: { idealCycleSeconds: 50 } });
    const line = aggregateOee([press, cnc]);
    assert.equal(line.plannedBusySeconds, 57_600);
    assert.equal(line.actualProductionSeconds, 21_600 + 28_800);
    close(line.availability, 50_400 / 57_600);
    close(line.performance, (20_000 + 25_000) / 50_400);
    close(line.quality, 1_400 / 1_500);
    assert.equal(line.failures, 1);
    assert.equal(line.mttrSeconds, 7_200);
  });
});
