import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseDoc } from '../../core/cases.js';
import type { PlantConfig } from '../../core/plant-config.js';
import { ShiftRoster } from './owner-selection.js';
import { compileRule } from './rule-matcher.js';
import { armCycle, breachChange, slaTimerId, tierChange, tierTimerId, timersMootAfter } from './sla-clock.js';

const OPENED = Date.UTC(2026, 0, 5, 8, 0);
const MINUTE = 60_000;

const rule = compileRule({
  id: 'fault',
  match: { type: 'equipment.state.changed' },
  case: { kind: 'fault', severity: 'high' },
  owner: { role: 'maintenance' },
  sla: { assign: '1m', acknowledge: '5m', resolve: '4h' },
  escalation: [
    { after: 'acknowledge', notify: [{ role: 'supervisor' }], add: true },
    { after: '30m', notify: [{ user: 'ada' }] },
  ],
});

const roster = new ShiftRoster({
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly' }] }],
  shifts: [{ id: 'day', start: '06:00', end: '18:00' }],
  roster: [{ shift: 'day', area: 'assembly', role: 'supervisor', users: ['sam'] }],
  users: [{ id: 'ada', name: 'Ada', grants: [{ role: 'admin', areas: ['*'] }] }],
} as unknown as PlantConfig);

function openCase(overrides: Partial<CaseDoc> = {}): CaseDoc {
  const at = new Date(OPENED).toISOString();
  return {
    id: 'case-1', rule: 'fault', kind: 'fault', title: 'fault', severity: 'high', safety: false, status: 'assigned', area: 'assembly', owner: 'mike',
    watchers: [], correlationKey: 'fault|x', revision: 1, cycle: 0, reopenCount: 0, openedAt: at, updatedAt: at, first: {},
    events: { first: { id: 'e1', at, type: 't' }, last: { id: 'e1', at, type: 't' }, count: 1, recent: ['e1'], lastPosition: 1 },
    urgency: { score: 70, level: 'high', explanation: '' }, sla: { breached: [] }, escalations: [], comments: [], attachments: [], handovers: [],
    ...overrides,
  };
}

describe('SLA clock', () => {
  it('arms a timer per target and per duration tier from the cycle start, skipping assign when owned', () => {
    const { sla, timers } = armCycle(openCase(), rule, OPENED);
    assert.deepEqual(timers.map((timer) => [timer.id, timer.dueAt - OPENED]), [
      [slaTimerId('case-1', 0, 'acknowledge'), 5 * MINUTE],
      [slaTimerId('case-1', 0, 'resolve'), 240 * MINUTE],
      [tierTimerId('case-1', 0, 1), 30 * MINUTE],
    ]);
    assert.equal(sla.acknowledgeBy, new Date(OPENED + 5 * MINUTE).toISOString());
    assert.equal(sla.assignBy, undefined);
    assert.ok(armCycle(openCase({ status: 'open', owner: undefined }), rule, OPENED).timers.some((timer) => timer.id === slaTimerId('case-1', 0, 'assign')));
  });

  it('records a breach and fires the tiers waiting on it, once', () => {
    const [ackTimer] = armCycle(openCase(), rule, OPENED).timers;
    const change = breachChange(openCase(), rule, ackTimer!, OPENED + 5 * MINUTE, roster);
    assert.ok(change);
    assert.deepEqual(change.steps.map((step) => step.action), ['sla.breached', 'escalated']);
    assert.deepEqual(change.doc.escalations.map((escalation) => [escalation.tier, escalation.notified]), [[0, ['sam']]]);
    assert.deepEqual(change.doc.watchers, ['sam']);
    assert.deepEqual(change.timers?.clear, [ackTimer!.id]);
    assert.equal(breachChange(change.doc, rule, ackTimer!, OPENED + 6 * MINUTE, roster), undefined, 'the same breach never fires twice');
  });

  it('does nothing for a target already met, a stale cycle, or a resolved case', () => {
    const [ackTimer, , tierTimer] = armCycle(openCase(), rule, OPENED).timers;
    assert.equal(breachChange(openCase({ status: 'acknowledged', acknowledgedAt: new Date(OPENED).toISOString() }), rule, ackTimer!, OPENED + 5 * MINUTE, roster), undefined);
    assert.equal(breachChange(openCase({ cycle: 1 }), rule, ackTimer!, OPENED + 5 * MINUTE, roster), undefined);
    assert.equal(tierChange(openCase({ status: 'resolved' }), rule, tierTimer!, OPENED + 30 * MINUTE, roster), undefined);
    assert.deepEqual(tierChange(openCase(), rule, tierTimer!, OPENED + 30 * MINUTE, roster)?.doc.escalations.map((escalation) => escalation.notified), [['ada']]);
  });

  it('clears the timers an action makes moot', () => {
    const doc = openCase();
    assert.deepEqual(timersMootAfter('acknowledge', doc, rule), [slaTimerId('case-1', 0, 'assign'), slaTimerId('case-1', 0, 'acknowledge')]);
    assert.ok(timersMootAfter('resolve', doc, rule).includes(tierTimerId('case-1', 0, 1)));
    assert.ok(timersMootAfter('close', doc, rule).includes('case-verify:case-1'));
  });
});
