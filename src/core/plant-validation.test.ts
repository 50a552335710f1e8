import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlantConfig } from './plant-config.js';
import { validatePlantConfig, type ConfigIssue } from './plant-validation.js';

const valid = (): PlantConfig => ({
  version: 1,
  enterprise: { id: 'acme' },
  sites: [
    {
      id: 'plant-1',
      areas: [
        { id: 'assembly', lines: [{ id: 'line-1', equipment: [{ id: 'press-1', class: 'press' }], cells: [{ id: 'weld', equipment: [{ id: 'robot-1' }] }] }] },
        { id: 'warehouse', equipment: [{ id: 'forklift-1' }] },
      ],
    },
  ],
  equipmentClasses: [{ id: 'press', idealCycleTimeSeconds: 6 }],
  materials: [{ id: 'coil', unit: 'kg' }],
  crosswalk: [{ kind: 'equipment', canonical: 'acme/plant-1/assembly/line-1/press-1', ids: [{ system: 'erp', id: '4711' }] }],
  shifts: [{ id: 'early', start: '06:00', end: '14:00' }],
  roster: [{ shift: 'early', area: 'assembly', role: 'maintenance', users: ['mike'] }],
  users: [{ id: 'mike', name: 'Mike', grants: [{ role: 'maintenance', areas: ['assembly'] }] }],
});

function issuesOf(value: unknown): ConfigIssue[] {
  const result = validatePlantConfig(value);
  assert.equal(result.ok, false, 'expected problems');
  return result.ok ? [] : result.issues;
}

const at = (issues: ConfigIssue[], path: string) => issues.find((issue) => issue.path === path);

describe('validatePlantConfig', () => {
  it('accepts a valid plant and returns it typed', () => {
    const result = validatePlantConfig(valid());
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.config.sites[0]?.areas.length, 2);
  });

  it('reports every schema problem at once, with paths and allowed values', () => {
    const config = valid();
    Object.assign(config.users![0]!.grants[0]!, { role: 'janitor' });
    config.sites[0]!.areas[0]!.id = 'Assembly Hall';
    Object.assign(config, { enterprize: 'typo' });
    const issues = issuesOf(config);
    assert.ok(issues.length >= 3, JSON.stringify(issues));
    assert.deepEqual(at(issues, '/users/0/grants/0/role')?.allowed, ['operator', 'supervisor', 'quality', 'maintenance', 'planner', 'engineer', 'admin']);
    assert.match(at(issues, '/sites/0/areas/0/id')?.message ?? '', /kebab-case|pattern/);
    const unknown = at(issues, '/enterprize');
    assert.match(unknown?.message ?? '', /unknown key 'enterprize'/);
    assert.ok(unknown?.allowed?.includes('enterprise'));
  });

  it('reports missing required sections', () => {
    const issues = issuesOf({ version: 1 });
    assert.ok(at(issues, '/enterprise'));
    assert.ok(at(issues, '/sites'));
  });

  it('checks references between sections', () => {
    const config = valid();
    config.sites[0]!.areas[0]!.lines![0]!.equipment![0]!.class = 'stamping';
    config.crosswalk![0]!.canonical = 'acme/plant-1/assembly/line-1/press-9';
    config.roster![0]!.shift = 'late';
    config.roster![0]!.users = ['nobody'];
    config.users![0]!.grants[0]!.areas = ['paint-shop'];
    const issues = issuesOf(config);
    assert.deepEqual(at(issues, '/sites/0/areas/0/lines/0/equipment/0/class')?.allowed, ['press']);
    assert.ok(at(issues, '/crosswalk/0/canonical')?.allowed?.includes('acme/plant-1/assembly/line-1/weld/robot-1'), 'lists the equipment paths');
    assert.deepEqual(at(issues, '/roster/0/shift')?.allowed, ['early']);
    assert.deepEqual(at(issues, '/roster/0/users/0')?.allowed, ['mike']);
    assert.deepEqual(at(issues, '/users/0/grants/0/areas/0')?.allowed, ['*', 'assembly', 'warehouse']);
  });

  it('finds duplicate ids and clashing crosswalk mappings', () => {
    const config = valid();
    config.sites[0]!.areas[1]!.id = 'assembly';
    config.crosswalk!.push({ kind: 'equipment', canonical: 'acme/plant-1/assembly/line-1/weld/robot-1', ids: [{ system: 'erp', id: '4711' }] });
    const issues = issuesOf(config);
    assert.match(at(issues, '/sites/0/areas/1/id')?.message ?? '', /duplicate id 'assembly'/);
    assert.match(at(issues, '/crosswalk/1/ids/0')?.message ?? '', /already means/);
  });

  it('allows re-keying an id with validity intervals that do not overlap', () => {
    const config = valid();
    config.crosswalk = [
      { kind: 'equipment', canonical: 'acme/plant-1/assembly/line-1/press-1', ids: [{ system: 'plc', id: 'P1', validTo: '2026-05-01T00:00:00Z' }] },
      { kind: 'equipment', canonical: 'acme/plant-1/assembly/line-1/weld/robot-1', ids: [{ system: 'plc', id: 'P1', validFrom: '2026-05-01T00:00:00Z' }] },
    ];
    assert.equal(validatePlantConfig(config).ok, true);
  });
});
