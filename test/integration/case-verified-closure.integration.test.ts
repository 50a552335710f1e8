/**
 * Verified closure on the real core: a resolved case cannot be closed while its condition is active, nor before the
 * condition has stayed clear for the verification window; a recurrence inside the window reopens it (record, audit,
 * notification); once the window has passed, the owner's confirmation closes it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Principal } from '../../src/core/access.js';
import type { CaseDoc } from '../../src/core/cases.js';
import { PlantfabricError } from '../../src/core/errors.js';
import { allCases, EARLY_MORNING, fastClock, ingest, MINUTE, plantEvent, PRESS, startCaseCore, untilPlantTime, writeCasePlant } from '../support/case-plant.js';
import { until } from '../support/wait.js';

const mike: Principal = { userId: 'mike', name: 'Mike', via: 'local', grants: [{ role: 'maintenance', areas: ['assembly'] }] };

function refusal(error: unknown): { code: string; details: Record<string, unknown> } {
  assert.ok(error instanceof PlantfabricError, String(error));
  return { code: error.code, details: error.details as Record<string, unknown> };
}

describe('verified closure', () => {
  const plant = writeCasePlant();
  after(() => plant.remove());

  it('refuses to close while the condition is active or before the window has passed, and a recurrence inside the window reopens the case', async () => {
    const clock = fastClock(EARLY_MORNING, 300);
    const core = await startCaseCore(plant, clock);
    try {
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
      const opened = await until('the case opens', async () => (await allCases(core))[0]);
      for (const action of ['acknowledge', 'start', 'resolve'] as const) await core.cases.transition(opened.id, { action, actor: mike });

      const whileActive = await core.cases.transition(opened.id, { action: 'close', actor: mike }).then(() => undefined, refusal);
      assert.equal(whileActive?.code, 'PF_ERR_CASE_NOT_VERIFIED');
      assert.equal(whileActive?.details['reason'], 'condition-active');
      assert.equal((await core.cases.get(opened.id))?.case.status, 'resolved', 'stays resolved, pending verification');

      const clearAt = clock.now();
      await ingest(core, [plantEvent('equipment.state.changed', clearAt, { equipment: PRESS }, { state: 'execute' })]);
      const cleared = await until('the condition clears', async () => {
        const doc = (await core.cases.get(opened.id))?.case;
        return doc?.condition?.active === false && doc;
      });
      const completesAt = Date.parse(cleared.verification?.completesAt ?? '');
      assert.equal(completesAt, Date.parse(cleared.condition!.since) + 15 * MINUTE);
      const early = await core.cases.transition(opened.id, { action: 'close', actor: mike }).then(() => undefined, refusal);
      assert.equal(early?.code, 'PF_ERR_CASE_NOT_VERIFIED');
      assert.equal(early?.details['reason'], 'window-not-passed');
      assert.equal(early?.details['completesAt'], cleared.verification?.completesAt);

      // The press faults again five minutes later: inside the window, so the case comes back.
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
      const reopened = await until('the recurrence reopens the case', async () => {
        const doc = (await core.cases.get(opened.id))?.case;
        return doc?.reopenCount === 1 && doc;
      });
      assert.equal(reopened.status, 'assigned');
      assert.equal(reopened.owner, 'mike');
      assert.equal(reopened.condition?.active, true);
      assert.equal((await allCases(core)).length, 1, 'the same case, not a new one');
      const history = (await core.cases.get(opened.id))?.history.map((entry) => entry.action) ?? [];
      assert.ok(history.includes('reopened'), history.join(', '));
      assert.equal((await core.stores.audit.query({ subjectKind: 'case', subjectId: opened.id, action: 'case.reopened' })).length, 1);
      const notice = await core.stores.operations.getOutbox(`${opened.id}:${reopened.revision}:reopened`);
      assert.deepEqual((notice?.payload as { recipients?: string[] } | undefined)?.recipients, ['mike'], 'the owner is told');
      await until('case.reopened is on the log', async () => (await core.stores.events.query({ types: ['case.reopened'] })).length === 1);

      // Fixed for good: resolved, clear, and the window runs out before the confirmation.
      await core.cases.transition(opened.id, { action: 'resolve', actor: mike, resolution: 'replaced the jammed feeder' });
      const finalClear = clock.now();
      await ingest(core, [plantEvent('equipment.state.changed', finalClear, { equipment: PRESS }, { state: 'execute' })]);
      const pending: CaseDoc = await until('the condition clears again', async () => {
        const doc = (await core.cases.get(opened.id))?.case;
        return doc?.condition?.active === false && doc.verification?.completesAt !== undefined && doc;
      });
      await untilPlantTime(clock, Date.parse(pending.verification!.completesAt!), 'the verification window has passed');
      const closed = await core.cases.transition(opened.id, { action: 'close', actor: mike });
      assert.equal(closed.status, 'closed');
      assert.ok(Date.parse(closed.closedAt!) >= Date.parse(pending.verification!.completesAt!));

      // After closing, the same fault is a new issue (this rule keeps no correlation window): a new case.
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
      const cases = await until('a new case opens', async () => {
        const found = await allCases(core);
        return found.length === 2 && found;
      });
      assert.equal(cases.find((doc) => doc.id === opened.id)?.status, 'closed', 'the closed case stays closed');
    } finally {
      await core.close();
    }
  });
});
