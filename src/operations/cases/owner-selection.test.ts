import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlantConfig } from '../../core/plant-config.js';
import { candidateGroups, pickOwner, recipientsOf, ShiftRoster } from './owner-selection.js';

const config = {
  version: 1,
  enterprise: { id: 'acme' },
  sites: [
    { id: 'plant-1', timezone: 'Europe/Berlin', areas: [{ id: 'assembly' }, { id: 'warehouse' }] },
    { id: 'plant-2', timezone: 'America/Chicago', areas: [{ id: 'paint' }] },
  ],
  shifts: [
    { id: 'early', start: '06:00', end: '14:00' },
    { id: 'late', start: '14:00', end: '22:00' },
  ],
  roster: [
    { shift: 'early', area: 'assembly', role: 'maintenance', users: ['mike', 'max'] },
    { shift: 'late', area: 'assembly', role: 'maintenance', users: ['mara'] },
    { shift: 'early', area: 'assembly', role: 'supervisor', users: ['sam'] },
    { shift: 'late', area: 'warehouse', role: 'supervisor', users: ['sue'] },
    { shift: 'early', area: 'paint', role: 'maintenance', users: ['pat'] },
  ],
  users: [
    { id: 'ada', name: 'Ada', grants: [{ role: 'admin', areas: ['*'] }] },
    { id: 'sam', name: 'Sam', grants: [{ role: 'supervisor', areas: ['assembly'] }] },
    { id: 'sid', name: 'Sid', grants: [{ role: 'supervisor', areas: ['*'] }] },
  ],
} as unknown as PlantConfig;

// 08:00 in Berlin (07:00 UTC in winter) is the early shift there, and 01:00 in Chicago: nobody on.
const EARLY = Date.UTC(2026, 0, 5, 7, 0);
// 15:00 in Berlin.
const LATE = Date.UTC(2026, 0, 5, 14, 0);
// 23:00 in Berlin: no shift.
const NIGHT = Date.UTC(2026, 0, 5, 22, 0);

describe('owner selection', () => {
  const roster = new ShiftRoster(config);

  it('finds the people on duty for the role in the area, by the site calendar', () => {
    const groups = candidateGroups({ role: 'maintenance' }, 'assembly', EARLY, roster);
    assert.deepEqual(groups[0], { role: 'maintenance', area: 'assembly', shift: 'early', users: ['max', 'mike'], step: 0 });
    assert.deepEqual(candidateGroups({ role: 'maintenance' }, 'assembly', LATE, roster)[0]?.users, ['mara']);
    assert.deepEqual(candidateGroups({ role: 'maintenance' }, 'paint', EARLY, roster), [], 'Chicago is asleep');
    assert.deepEqual(candidateGroups({ role: 'maintenance' }, 'paint', Date.UTC(2026, 0, 5, 13, 0), roster)[0]?.users, ['pat'], '07:00 in Chicago');
  });

  it('falls back in order when nobody of the role is on duty', () => {
    const spec = { role: 'quality' as const, fallback: [{ role: 'supervisor' as const }, { role: 'supervisor' as const, area: 'warehouse' }] };
    assert.deepEqual(candidateGroups(spec, 'assembly', EARLY, roster).map((group) => [group.step, group.users]), [[1, ['sam']]]);
    assert.deepEqual(candidateGroups(spec, 'assembly', LATE, roster).map((group) => [group.step, group.area, group.users]), [[2, 'warehouse', ['sue']]]);
    assert.deepEqual(candidateGroups(spec, 'assembly', NIGHT, roster), []);
    assert.deepEqual(candidateGroups({ role: 'maintenance', area: 'assembly' }, undefined, EARLY, roster)[0]?.users, ['max', 'mike'], 'a named area needs no equipment');
  });

  it('picks the least loaded, sharing ties round-robin', () => {
    const users = ['max', 'mike', 'mona'];
    assert.equal(pickOwner(users, 'least-loaded', new Map([['max', 2], ['mike', 0], ['mona', 1]]), undefined), 'mike');
    assert.equal(pickOwner(users, 'least-loaded', new Map([['max', 1], ['mike', 1], ['mona', 1]]), 'max'), 'mike');
    assert.equal(pickOwner(users, 'least-loaded', new Map([['max', 1], ['mike', 1], ['mona', 1]]), 'mona'), 'max');
    assert.equal(pickOwner(users, undefined, new Map(), undefined), 'max', 'least-loaded is the default');
  });

  it('picks round-robin after the last one assigned, whatever the load', () => {
    const users = ['max', 'mike', 'mona'];
    const loads = new Map([['max', 0], ['mike', 9], ['mona', 9]]);
    assert.equal(pickOwner(users, 'round-robin', loads, 'max'), 'mike');
    assert.equal(pickOwner(users, 'round-robin', loads, 'mona'), 'max');
    assert.equal(pickOwner(users, 'round-robin', loads, 'gone'), 'max');
  });

  it('notifies a role on duty, else everyone granted it there, and named users', () => {
    assert.deepEqual(recipientsOf([{ role: 'supervisor' }], 'assembly', EARLY, roster), ['sam']);
    assert.deepEqual(recipientsOf([{ role: 'supervisor' }], 'assembly', LATE, roster), ['sam', 'sid'], 'nobody on duty: granted supervisors');
    assert.deepEqual(recipientsOf([{ role: 'supervisor', area: 'warehouse' }, { user: 'ada' }], 'assembly', LATE, roster), ['ada', 'sue']);
  });
});
