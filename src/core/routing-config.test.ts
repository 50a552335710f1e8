import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePlantConfig } from './plant-validation.js';
import { formatDuration, parseDuration } from './routing-config.js';

const plant = (rules: unknown[]): unknown => ({
  version: 1,
  enterprise: { id: 'acme' },
  sites: [{ id: 'plant-1', areas: [{ id: 'assembly', equipment: [{ id: 'press-1' }] }] }],
  users: [{ id: 'ada', name: 'Ada', grants: [{ role: 'admin', areas: ['*'] }] }],
  routing: { rules },
});

const rule = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'machine-fault',
  match: { type: 'equipment.state.changed', where: { 'data.state': 'faulted' } },
  holdFor: '2m',
  clear: { type: 'equipment.state.changed', where: { 'data.state': { in: ['execute', 'idle'] } } },
  case: { kind: 'machine-fault', severity: 'high' },
  owner: { role: 'maintenance' },
  sla: { acknowledge: '5m' },
  escalation: [{ after: 'acknowledge', notify: [{ role: 'supervisor' }] }],
  verify: { window: '15m' },
  ...overrides,
});

function issuesOf(rules: unknown[]): Array<{ path: string; message: string; allowed?: string[] }> {
  const result = validatePlantConfig(plant(rules));
  return result.ok ? [] : result.issues;
}

describe('routing config', () => {
  it('parses durations in ms, s, m, h, d and combinations', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('4h'), 14_400_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('0s'), 0);
    for (const bad of ['', '2', 'm', '2 m', '-1m', '2min', '2m30']) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(formatDuration(5_400_000), '1h30m');
  });

  it('accepts a complete rule', () => {
    assert.deepEqual(issuesOf([rule()]), []);
  });

  it('rejects unknown roles, areas, users and event types with the allowed values', () => {
    const issues = issuesOf([
      rule({
        owner: { role: 'janitor', area: 'paint-shop' },
        escalation: [{ after: 'acknowledge', notify: [{ user: 'nobody' }] }],
        match: { type: 'equipment.state.change' },
      }),
    ]);
    const at = (path: string): { message: string; allowed?: string[] } | undefined => issues.find((issue) => issue.path === path);
    assert.match(at('/routing/rules/0/owner/role')?.message ?? '', /unknown role 'janitor'/);
    assert.ok(at('/routing/rules/0/owner/role')?.allowed?.includes('maintenance'));
    assert.match(at('/routing/rules/0/owner/area')?.message ?? '', /unknown area 'paint-shop'/);
    assert.match(at('/routing/rules/0/escalation/0/notify/0/user')?.message ?? '', /unknown user 'nobody'/);
    assert.match(at('/routing/rules/0/match/type')?.message ?? '', /unknown event type/);
  });

  it('rejects windows and durations of zero, and durations it cannot read', () => {
    const zero = issuesOf([rule({ holdFor: '0s', verify: { window: '0m' }, correlate: { window: '0s' } })]);
    assert.ok(zero.some((issue) => issue.path === '/routing/rules/0/holdFor' && /longer than zero/.test(issue.message)));
    assert.ok(zero.some((issue) => issue.path === '/routing/rules/0/verify/window'));
    assert.ok(zero.some((issue) => issue.path === '/routing/rules/0/correlate/window'));
    const unreadable = issuesOf([rule({ holdFor: 'two minutes' })]);
    assert.ok(unreadable.some((issue) => issue.path === '/routing/rules/0/holdFor'), JSON.stringify(unreadable));
  });

  it('rejects unknown fields in conditions, keys and titles, and unknown keys in a rule', () => {
    const issues = issuesOf([
      rule({
        match: { type: 'alarm.raised', where: { 'payload.x': 1 } },
        correlate: { key: ['subject.machine'] },
        case: { kind: 'alarm', severity: 'low', title: '{subject.nothing}' },
        colour: 'red',
      }),
    ]);
    assert.ok(issues.some((issue) => issue.path === '/routing/rules/0/colour' && /unknown key/.test(issue.message)), JSON.stringify(issues));
    const later = issuesOf([rule({ match: { type: 'alarm.raised', where: { 'payload.x': 1 } }, correlate: { key: ['subject.machine'] }, case: { kind: 'alarm', severity: 'low', title: '{subject.nothing}' } })]);
    assert.ok(later.some((issue) => issue.path === '/routing/rules/0/match/where/payload.x' && /unknown field/.test(issue.message)));
    assert.ok(later.some((issue) => issue.path === '/routing/rules/0/correlate/key/0'));
    assert.ok(later.some((issue) => issue.path === '/routing/rules/0/case/title'));
  });

  it('needs clear with holdFor, an SLA target for a tier after it, distinct ids, and no case events as triggers', () => {
    const issues = issuesOf([
      rule({ clear: undefined, escalation: [{ after: 'resolve', notify: [{ role: 'supervisor' }] }] }),
      rule({ match: { type: 'case.*' } }),
    ]);
    assert.ok(issues.some((issue) => issue.path === '/routing/rules/0/holdFor' && /needs clear/.test(issue.message)));
    assert.ok(issues.some((issue) => issue.path === '/routing/rules/0/escalation/0/after' && /needs sla.resolve/.test(issue.message)));
    assert.ok(issues.some((issue) => issue.path === '/routing/rules/1/id' && /duplicate rule id/.test(issue.message)));
    assert.ok(issues.some((issue) => issue.path === '/routing/rules/1/match/type' && /case events/.test(issue.message)));
  });
});
