import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredEvent } from '../../core/event.js';
import { locationConfigOf } from './location-config.js';
import { applyWhereIs, whereIs, type WhereIsState } from './where-is.js';
import { planOf } from './zone-plan.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 5, 5, minute)).toISOString();
const plan = planOf(locationConfigOf({
  zones: [
    { id: 'line-1', equipment: 'acme/plant-1/assembly/line-1', rect: { x: [40, 95], y: [4, 20] } },
    { id: 'cell-a', rect: { x: [50, 60], y: [4, 10] } },
    { id: 'crib', rect: { x: [96, 104], y: [4, 12] } },
  ],
  tags: [{ id: 'wrench', kind: 'tool', home: 'crib' }, { id: 'spare', kind: 'tool' }],
}));

let position = 0;
function event(type: string, occurredAt: string, data: Record<string, unknown>): StoredEvent {
  position += 1;
  return { id: `e-${position}`, position, type, occurredAt, receivedAt: occurredAt, source: { system: 'test' }, subject: {}, data, quality: 'good' };
}

describe('where-is projection', () => {
  it('shows the most specific zone, the equipment of the zone that has one, and every configured tag', () => {
    const state: WhereIsState = new Map();
    for (const input of [
      event('location.position.reported', at(0), { tag: 'wrench', x: 55, y: 6 }),
      event('location.zone.entered', at(0), { tag: 'wrench', zone: 'line-1' }),
      event('location.zone.entered', at(1), { tag: 'wrench', zone: 'cell-a' }),
    ]) applyWhereIs(state, input);
    const [spare, wrench] = whereIs(plan, state);
    assert.deepEqual(spare, { tag: 'spare', kind: 'tool', position: null, reportedAt: null, zone: null, since: null, zones: [], atHome: null });
    assert.equal(wrench!.zone, 'cell-a', 'the smaller of the two');
    assert.equal(wrench!.since, at(1));
    assert.equal(wrench!.equipment, 'acme/plant-1/assembly/line-1');
    assert.equal(wrench!.atHome, false);
  });

  it('keeps the newest position, forgets exited zones and zones no longer configured, and clears a misplacement on return', () => {
    const state: WhereIsState = new Map();
    for (const input of [
      event('location.position.reported', at(5), { tag: 'wrench', x: 100, y: 8 }),
      event('location.position.reported', at(4), { tag: 'wrench', x: 0, y: 0 }),
      event('location.zone.entered', at(2), { tag: 'wrench', zone: 'old-zone' }),
      event('location.zone.entered', at(2), { tag: 'wrench', zone: 'line-1' }),
      event('location.zone.exited', at(3), { tag: 'wrench', zone: 'line-1' }),
      event('location.tag.misplaced', at(3), { tag: 'wrench', outsideSince: at(1) }),
    ]) applyWhereIs(state, input);
    let wrench = whereIs(plan, state, { tag: 'wrench' })[0]!;
    assert.deepEqual(wrench.position, { x: 100, y: 8 });
    assert.deepEqual(wrench.zones, []);
    assert.deepEqual(wrench.misplaced, { outsideSince: at(1), flaggedAt: at(3) });
    applyWhereIs(state, event('location.zone.entered', at(5), { tag: 'wrench', zone: 'crib' }));
    applyWhereIs(state, event('location.tag.returned', at(5), { tag: 'wrench', zone: 'crib' }));
    wrench = whereIs(plan, state, { zone: 'crib' })[0]!;
    assert.equal(wrench.atHome, true);
    assert.equal(wrench.misplaced, undefined);
    assert.deepEqual(whereIs(plan, state, { kind: 'forklift' }), []);
  });
});
