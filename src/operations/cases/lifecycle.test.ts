import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../core/access.js';
import { CASE_ACTIONS, CASE_STATUSES, type CaseDoc } from '../../core/cases.js';
import { PlantfabricError } from '../../core/errors.js';
import { actionsFrom, assertVerified, authorityOf, checkTransition, statusAfter, TRANSITIONS, verificationAt } from './lifecycle.js';

const person = (userId: string, role: Principal['grants'][number]['role'], areas: string[]): Principal => ({ userId, name: userId, via: 'token', grants: [{ role, areas }] });
const mike = person('mike', 'maintenance', ['assembly']);
const mara = person('mara', 'maintenance', ['assembly']);
const sam = person('sam', 'supervisor', ['assembly']);
const sue = person('sue', 'supervisor', ['warehouse']);
const ada = person('ada', 'admin', ['*']);

const doc = (status: CaseDoc['status'], owner: string | undefined = 'mike'): Pick<CaseDoc, 'id' | 'status' | 'owner' | 'area'> => ({ id: 'case-1', status, area: 'assembly', ...(owner === undefined ? {} : { owner }) });
const code = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof PlantfabricError ? error.code : String(error);
  }
};

describe('case lifecycle', () => {
  it('leads each action from its statuses to the next status', () => {
    assert.equal(checkTransition('acknowledge', doc('assigned'), mike), 'acknowledged');
    assert.equal(checkTransition('start', doc('acknowledged'), mike), 'in-progress');
    assert.equal(checkTransition('resolve', doc('in-progress'), mike), 'resolved');
    assert.equal(checkTransition('close', doc('resolved'), mike), 'closed');
    assert.equal(checkTransition('reopen', doc('closed'), mike), 'assigned');
    assert.equal(statusAfter('reopen', {}), 'open', 'a case without owner reopens as open');
    assert.equal(checkTransition('assign', doc('open', undefined), sam), 'assigned');
  });

  it('refuses steps the status does not allow, listing what it does', () => {
    assert.equal(code(() => checkTransition('acknowledge', doc('resolved'), mike)), 'PF_ERR_CASE_TRANSITION');
    assert.equal(code(() => checkTransition('close', doc('in-progress'), mike)), 'PF_ERR_CASE_TRANSITION');
    assert.equal(code(() => checkTransition('reopen', doc('assigned'), mike)), 'PF_ERR_CASE_TRANSITION');
    assert.deepEqual(actionsFrom('resolved'), ['close', 'reopen']);
    assert.deepEqual(actionsFrom('open'), ['assign']);
    for (const status of CASE_STATUSES) for (const action of actionsFrom(status)) assert.ok(TRANSITIONS[action].from.includes(status));
    assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...CASE_ACTIONS].sort());
  });

  it('lets the owner, supervisors of the area and admins act, each as the table says', () => {
    assert.deepEqual([...authorityOf(mike, doc('assigned'))], ['owner']);
    assert.deepEqual([...authorityOf(sam, doc('assigned'))], ['supervisor']);
    assert.deepEqual([...authorityOf(sue, doc('assigned'))], [], 'a supervisor of another area is nobody here');
    assert.deepEqual([...authorityOf(ada, doc('assigned'))], ['admin']);
    assert.equal(code(() => checkTransition('acknowledge', doc('assigned'), mara)), 'PF_ERR_ACCESS_DENIED', 'not the owner');
    assert.equal(code(() => checkTransition('acknowledge', doc('assigned'), sam)), 'PF_ERR_ACCESS_DENIED', 'acknowledging is the owner\'s word');
    assert.equal(code(() => checkTransition('acknowledge', doc('assigned'), ada)), undefined);
    assert.equal(code(() => checkTransition('close', doc('resolved'), sam)), undefined, 'a supervisor confirms closure');
    assert.equal(code(() => checkTransition('close', doc('resolved'), sue)), 'PF_ERR_ACCESS_DENIED');
    assert.equal(code(() => checkTransition('assign', doc('assigned'), mike)), undefined, 'the owner may pass it on');
    assert.equal(code(() => checkTransition('assign', doc('assigned'), mara)), 'PF_ERR_ACCESS_DENIED');
  });

  it('closes only once the condition has been clear for the verification window', () => {
    const base = { events: { first: { id: 'a', at: '2026-01-05T08:00:00.000Z', type: 't' }, last: { id: 'b', at: '2026-01-05T08:05:00.000Z', type: 't' }, count: 2, recent: [], lastPosition: 2 }, verification: { windowMs: 15 * 60_000 } };
    const active = { ...base, condition: { active: true, since: '2026-01-05T08:00:00.000Z' } };
    const clear = { ...base, condition: { active: false, since: '2026-01-05T08:10:00.000Z' } };
    const at = (iso: string): number => Date.parse(iso);
    assert.deepEqual(verificationAt(active, at('2026-01-05T12:00:00Z')), { ok: false, reason: 'condition-active' });
    assert.deepEqual(verificationAt(clear, at('2026-01-05T08:20:00Z')), { ok: false, reason: 'window-not-passed', completesAt: at('2026-01-05T08:25:00Z') });
    assert.deepEqual(verificationAt(clear, at('2026-01-05T08:25:00Z')), { ok: true });
    assert.deepEqual(verificationAt({ events: base.events }, at('2026-01-05T08:06:00Z')), { ok: true }, 'no window, no condition: nothing to wait for');
    assert.deepEqual(verificationAt({ events: base.events, verification: base.verification }, at('2026-01-05T08:19:00Z')), { ok: false, reason: 'window-not-passed', completesAt: at('2026-01-05T08:20:00Z') }, 'without a clear, the window counts from the last signal');
    assert.throws(
      () => assertVerified({ id: 'case-1', ...clear }, at('2026-01-05T08:20:00Z')),
      (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CASE_NOT_VERIFIED' && error.httpStatus === 409 && (error.details as { completesAt: string }).completesAt === '2026-01-05T08:25:00.000Z',
    );
  });
});
