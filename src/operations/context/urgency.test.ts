import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levelOf, scoreUrgency, slackPoints } from './urgency.js';

const pointsOf = (urgency: ReturnType<typeof scoreUrgency>) => Object.fromEntries(urgency.factors.map((factor) => [factor.factor, factor.points]));

describe('urgency scoring', () => {
  it('scores a high-severity fault with a running order and 75 min least slack as 71, high', () => {
    // severity high 30 + slack round(25 × (480 − 75) / 480) = round(21.09) = 21 + 2 orders × 5 = 10 + running 10 = 71
    const urgency = scoreUrgency({ severity: 'high', leastSlack: { minutes: 75, workOrder: 'WO-2' }, affectedOrders: 2, runningOrder: 'WO-1' });
    assert.deepEqual(pointsOf(urgency), { severity: 30, safety: 0, slack: 21, 'affected-orders': 10, 'running-order': 10 });
    assert.equal(urgency.score, 71);
    assert.equal(urgency.level, 'high');
    assert.equal(
      urgency.explanation,
      'Urgency 71 (high): high severity, least slack 75 min (WO-2), 2 orders affected and WO-1 running on this equipment.',
    );
  });

  it('caps at 100: critical, safety, late, many orders, running', () => {
    // 45 + 30 + 25 + 15 (capped from 6 × 5) + 10 = 125 → 100
    const urgency = scoreUrgency({ severity: 'critical', safety: true, leastSlack: { minutes: -30, workOrder: 'WO-9' }, affectedOrders: 6, runningOrder: 'WO-9' });
    assert.deepEqual(pointsOf(urgency), { severity: 45, safety: 30, slack: 25, 'affected-orders': 15, 'running-order': 10 });
    assert.equal(urgency.score, 100);
    assert.equal(urgency.level, 'critical');
    assert.match(urgency.explanation, /WO-9 already 30 min late/);
  });

  it('scores a safety signal on an idle machine with no orders as 30 + severity', () => {
    const urgency = scoreUrgency({ severity: 'low', safety: true, affectedOrders: 0 });
    assert.equal(urgency.score, 35);
    assert.equal(urgency.level, 'medium');
    assert.equal(urgency.explanation, 'Urgency 35 (medium): safety flagged and low severity.');
  });

  it('scores nothing at all as 0, low, and still explains itself', () => {
    const urgency = scoreUrgency({ affectedOrders: 0 });
    assert.equal(urgency.score, 0);
    assert.equal(urgency.level, 'low');
    assert.equal(urgency.explanation, 'Urgency 0 (low): no severity given, no safety flag and no order affected.');
  });

  it('gives slack points linearly between late and one shift ahead', () => {
    assert.deepEqual([-5, 0, 1, 240, 479, 480, 2000].map(slackPoints), [25, 25, 25, 13, 0, 0, 0]);
    // 240 min: 25 × 240 / 480 = 12.5 → 13 (round half up); 479 min: 25 / 480 = 0.05 → 0
  });

  it('puts scores into levels at 25, 50 and 75', () => {
    assert.deepEqual([0, 24, 25, 49, 50, 74, 75, 100].map(levelOf), ['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });
});
