import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PredictionSnapshot } from './degradation-tracker.js';
import type { PredictionSettings } from './maintenance-config.js';
import { failurePredicted, predictionUpdated, priorityOf, proposedOrder } from './maintenance-events.js';
import type { RulEstimate } from './rul.js';

const HOUR = 3_600_000;
const AT = Date.UTC(2026, 0, 6, 3, 35);
const SETTINGS: PredictionSettings = {
  equipment: 'acme/plant-1/assembly/line-1/cnc-1',
  signal: 'spindle-vibration',
  failureAt: 11,
  rising: true,
  horizonHours: 24,
  model: 'exponential',
  baseline: 0,
  minSamples: 60,
  windowMs: 24 * HOUR,
  confidence: 0.9,
  updateEveryMinutes: 60,
  task: 'Replace the spindle bearing',
};
const ESTIMATE: RulEstimate = { rulHours: 25, lowerHours: 20, upperHours: 30, degrading: true, reached: false, fittedNow: 2, slope: 0.0166, slopeStdErr: 0.0001, residualSd: 0.01, r2: 0.99, quantile: 1.65 };
const snapshot = (estimate: Partial<RulEstimate> = {}): PredictionSnapshot => ({
  at: AT,
  value: 7.1,
  trendValue: 7.2,
  estimate: { ...ESTIMATE, ...estimate },
  fit: { n: 1000, from: AT - 20 * HOUR, to: AT, meanAt: AT - 10 * HOUR, meanValue: 1.8, slope: 0.0166, sxx: 1, syy: 1, sse: 0.1 },
});

describe('maintenance events', () => {
  it('states the estimate, its interval as instants, and the fit', () => {
    const event = predictionUpdated(SETTINGS, snapshot());
    assert.equal(event.type, 'maintenance.prediction.updated');
    assert.equal(event.occurredAt, new Date(AT).toISOString());
    assert.deepEqual(event.subject, { equipment: SETTINGS.equipment });
    const data = event.data!;
    assert.deepEqual([data['rulHours'], data['rulLowerHours'], data['rulUpperHours']], [25, 20, 30]);
    assert.equal(data['predictedFailureAt'], new Date(AT + 25 * HOUR).toISOString());
    assert.equal(data['earliestFailureAt'], new Date(AT + 20 * HOUR).toISOString());
    assert.equal(data['latestFailureAt'], new Date(AT + 30 * HOUR).toISOString());
    assert.deepEqual((data['fit'] as { points: number }).points, 1000);
    const open = predictionUpdated(SETTINGS, snapshot({ rulHours: null, upperHours: null, lowerHours: null })).data!;
    assert.deepEqual([open['rulHours'], open['predictedFailureAt'], open['latestFailureAt']], [null, null, null], 'nothing coming is null, not Infinity');
  });

  it('proposes an order due before the earliest plausible failure, urgent as that is near', () => {
    const order = proposedOrder(SETTINGS, snapshot());
    assert.equal(order.dueBy, new Date(AT + 16 * HOUR).toISOString(), '80 % of the 20 h to the earliest failure');
    assert.equal(order.priority, 'medium');
    assert.equal(order.type, 'predictive');
    assert.equal(order.description, 'Replace the spindle bearing: spindle-vibration is predicted to reach 11 in 25.0 h (90% interval 20.0–30.0 h)');
    assert.equal(priorityOf(5, 24), 'high');
    assert.equal(priorityOf(0, 24), 'emergency');
    const reached = proposedOrder(SETTINGS, snapshot({ rulHours: 0, lowerHours: 0, upperHours: 0, reached: true }));
    assert.equal(reached.dueBy, new Date(AT).toISOString());
    assert.match(reached.description, /has reached 11$/);
    const failure = failurePredicted(SETTINGS, snapshot());
    assert.equal(failure.type, 'maintenance.failure.predicted');
    assert.deepEqual(failure.data!['proposedMaintenanceOrder'], order);
  });
});
