/**
 * SLA clocks and escalation on the real core: with nobody acknowledging, the acknowledge breach and its tier fire at
 * their deadline, the 8-hour tier fires at its own after the core was closed and opened again in between, and no
 * tier fires twice across further restarts.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CaseDoc } from '../../src/core/cases.js';
import type { Core } from '../../src/runtime/create-runtime.js';
import { allCases, EARLY_MORNING, fastClock, ingest, MINUTE, plantEvent, PRESS, startCaseCore, writeCasePlant } from '../support/case-plant.js';
import { until } from '../support/wait.js';

const HOUR = 60 * MINUTE;

async function theCase(core: Core): Promise<CaseDoc> {
  const [found] = await allCases(core);
  assert.ok(found, 'a case exists');
  return found;
}

describe('SLA clocks and escalation', () => {
  const plant = writeCasePlant();
  after(() => plant.remove());

  it('fires escalation tiers at their deadlines with no acknowledgement, also across a core close and reopen', async () => {
    const clock = fastClock(EARLY_MORNING, 600);
    const core = await startCaseCore(plant, clock);
    let opened: CaseDoc;
    try {
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
      opened = await until('the case opens', async () => (await allCases(core))[0]);
      const acknowledgeBy = Date.parse(opened.sla.acknowledgeBy ?? '');
      assert.equal(acknowledgeBy, Date.parse(opened.openedAt) + 5 * MINUTE);
      const breached = await until('the acknowledge target is missed', async () => {
        const doc = await theCase(core);
        return doc.escalations.length > 0 && doc;
      });
      assert.deepEqual(breached.sla.breached.map((breach) => breach.target), ['acknowledge']);
      assert.ok(Date.parse(breached.sla.breached[0]!.at) >= acknowledgeBy, 'not before the deadline');
      const [tier] = breached.escalations;
      assert.equal(tier?.tier, 0);
      assert.ok(Date.parse(tier!.at) >= acknowledgeBy);
      assert.deepEqual(tier?.notified, ['sam'], 'the supervisor on duty');
      assert.ok(breached.watchers.includes('sam'), 'added as a watcher (add: true)');
      assert.ok(await core.stores.operations.getOutbox(`${opened.id}:${breached.revision}:escalated-0`), 'the supervisor is notified');
    } finally {
      await core.close();
    }

    // The process is down for nine hours: the 4 h resolve deadline and the 8 h tier pass meanwhile and fire at start.
    const restarted = fastClock(Date.parse(opened.openedAt) + 9 * HOUR, 600);
    const again = await startCaseCore(plant, restarted);
    try {
      const doc = await until('the 8-hour tier fires after the restart', async () => {
        const current = await theCase(again);
        return current.escalations.length === 2 && current;
      });
      const late = doc.escalations[1]!;
      assert.equal(late.tier, 1);
      assert.deepEqual(late.notified, ['ada']);
      assert.ok(Date.parse(late.at) >= Date.parse(opened.openedAt) + 8 * HOUR, 'at or after its deadline');
      assert.deepEqual(doc.sla.breached.map((breach) => breach.target).sort(), ['acknowledge', 'resolve']);
    } finally {
      await again.close();
    }

    const third = await startCaseCore(plant, fastClock(Date.parse(opened.openedAt) + 10 * HOUR, 600));
    try {
      await third.cases.idle();
      const doc = await theCase(third);
      assert.deepEqual(doc.escalations.map((escalation) => escalation.tier), [0, 1], 'each tier fired once');
      const audit = await third.stores.audit.query({ subjectKind: 'case', subjectId: doc.id, action: 'case.escalated' });
      assert.equal(audit.length, 2);
      assert.equal((await third.stores.events.query({ types: ['case.escalated'] })).length, 2);
      assert.equal((await third.stores.events.query({ types: ['case.sla.breached'] })).length, 2);
      assert.deepEqual(await third.stores.operations.timersFor(doc.id), [], 'nothing left to fire but what the case still needs');
    } finally {
      await third.close();
    }
  });
});
