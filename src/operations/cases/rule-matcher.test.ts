import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalEvent } from '../../core/event.js';
import type { RoutingRule } from '../../core/routing-config.js';
import { compileRule, conditionHolds, fieldValue, RuleBook } from './rule-matcher.js';

const PRESS = 'acme/plant-1/assembly/line-1/press-1';

function event(type: string, data: Record<string, unknown>, subject: CanonicalEvent['subject'] = { equipment: PRESS }): CanonicalEvent {
  return { id: `e-${type}-${JSON.stringify(data)}`, type, occurredAt: '2026-01-05T08:00:00Z', receivedAt: '2026-01-05T08:00:00Z', source: { system: 'plc' }, subject, data, quality: 'good' };
}

const fault: RoutingRule = {
  id: 'machine-fault',
  match: { type: 'equipment.state.changed', where: { 'data.state': 'faulted' } },
  holdFor: '2m',
  clear: { type: 'equipment.state.changed', where: { 'data.state': { in: ['execute', 'idle'] } } },
  case: { kind: 'machine-fault', severity: 'high', title: '{subject.equipment} faulted ({data.reason})' },
  owner: { role: 'maintenance' },
  sla: { acknowledge: '5m', resolve: '4h' },
  escalation: [{ after: 'acknowledge', notify: [{ role: 'supervisor' }] }, { after: '30m', notify: [{ user: 'ada' }] }],
  verify: { window: '15m' },
};

const alarms: RoutingRule = {
  id: 'alarm-flood',
  match: { type: 'alarm.*', where: { 'data.severity': { gt: 500 } } },
  correlate: { key: ['subject.equipment', 'data.alarm'], window: '10m' },
  case: { kind: 'alarm', severity: 'medium' },
  owner: { role: 'maintenance' },
};

describe('rule matching', () => {
  it('reads fields by dotted path', () => {
    const sample = event('alarm.raised', { alarm: 'A1', nested: { level: 3 } });
    assert.equal(fieldValue(sample, 'data.nested.level'), 3);
    assert.equal(fieldValue(sample, 'subject.equipment'), PRESS);
    assert.equal(fieldValue(sample, 'type'), 'alarm.raised');
    assert.equal(fieldValue(sample, 'data.missing.deeper'), undefined);
  });

  it('evaluates equals, in, gt, lt and exists', () => {
    assert.equal(conditionHolds('faulted', 'faulted'), true);
    assert.equal(conditionHolds('idle', { in: ['execute', 'idle'] }), true);
    assert.equal(conditionHolds('held', { in: ['execute', 'idle'] }), false);
    assert.equal(conditionHolds(700, { gt: 500, lt: 800 }), true);
    assert.equal(conditionHolds(900, { gt: 500, lt: 800 }), false);
    assert.equal(conditionHolds('700', { gt: 500 }), false, 'gt needs a number');
    assert.equal(conditionHolds(undefined, { exists: false }), true);
    assert.equal(conditionHolds(0, { exists: true }), true);
  });

  it('classifies raising and clearing signals and ignores the rest', () => {
    const rule = compileRule(fault);
    assert.equal(rule.classify(event('equipment.state.changed', { state: 'faulted' })), 'match');
    assert.equal(rule.classify(event('equipment.state.changed', { state: 'execute' })), 'clear');
    assert.equal(rule.classify(event('equipment.state.changed', { state: 'held' })), undefined);
    assert.equal(rule.holdForMs, 120_000);
    assert.equal(rule.verifyMs, 900_000);
    assert.deepEqual(rule.tiers.map((tier) => tier.after), ['acknowledge', 1_800_000]);
    assert.equal(rule.tracksCondition, true);
  });

  it('matches type globs and builds the correlation key from its fields', () => {
    const rule = compileRule(alarms);
    assert.equal(rule.classify(event('alarm.raised', { alarm: 'A1', severity: 700 })), 'match');
    assert.equal(rule.classify(event('alarm.raised', { alarm: 'A1', severity: 100 })), undefined);
    assert.equal(rule.keyOf(event('alarm.raised', { alarm: 'A1', severity: 700 })), `alarm-flood|${PRESS}|A1`);
    assert.notEqual(rule.keyOf(event('alarm.raised', { alarm: 'A2' })), rule.keyOf(event('alarm.raised', { alarm: 'A1' })));
    assert.equal(compileRule(fault).keyOf(event('equipment.state.changed', { state: 'faulted' })), `machine-fault|${PRESS}`, 'the key defaults to the equipment');
  });

  it('fills the title template from the first signal', () => {
    assert.equal(compileRule(fault).title(event('equipment.state.changed', { state: 'faulted', reason: 'jam' })), `${PRESS} faulted (jam)`);
    assert.equal(compileRule(fault).title(event('equipment.state.changed', { state: 'faulted' })), `${PRESS} faulted (?)`);
  });

  it('answers which rules concern a type from a cache, and never case events', () => {
    const book = new RuleBook([fault, alarms, { ...alarms, id: 'everything', match: { type: '*' } }]);
    assert.deepEqual(book.forType('equipment.state.changed').map((rule) => rule.id), ['machine-fault', 'everything']);
    assert.deepEqual(book.forType('alarm.cleared').map((rule) => rule.id), ['alarm-flood', 'everything']);
    assert.deepEqual(book.forType('case.opened'), []);
    assert.equal(book.forType('production.count.recorded'), book.forType('production.count.recorded'), 'cached');
  });
});
