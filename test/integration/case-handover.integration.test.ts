/**
 * Hand-over at shift change on the real core: a case owned by the early shift's technician passes to the late
 * shift's at 14:00, with a record of who held it (case, history, audit, event) and a notification to both.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { allCases, fastClock, ingest, plantEvent, PRESS, startCaseCore, writeCasePlant } from '../support/case-plant.js';
import { until } from '../support/wait.js';

describe('shift hand-over', () => {
  const plant = writeCasePlant();
  after(() => plant.remove());

  it('hands open cases to the incoming shift at a shift change, with a record of who held them', async () => {
    // 13:56 UTC: the fault's hold ends at 13:58 in the early shift, the late shift starts at 14:00.
    const clock = fastClock(Date.UTC(2026, 0, 5, 13, 56), 120);
    const core = await startCaseCore(plant, clock);
    try {
      await ingest(core, [plantEvent('equipment.state.changed', clock.now(), { equipment: PRESS }, { state: 'faulted' })]);
      const opened = await until('the case opens', async () => (await allCases(core))[0]);
      assert.equal(opened.owner, 'mike', 'the early shift technician');
      const handed = await until('the late shift has it', async () => {
        const doc = (await core.cases.get(opened.id))?.case;
        return doc?.owner === 'mara' && doc;
      });
      assert.deepEqual(handed.handovers.map(({ from, to, shift }) => ({ from, to, shift })), [{ from: 'mike', to: 'mara', shift: 'late' }]);
      assert.ok(Date.parse(handed.handovers[0]!.at) >= Date.UTC(2026, 0, 5, 14, 0), 'at the shift change');
      assert.equal(handed.status, opened.status, 'the work goes on where it stood');
      const history = (await core.cases.get(opened.id))?.history ?? [];
      const record = history.find((entry) => entry.action === 'handed-over');
      assert.deepEqual([record?.data?.['from'], record?.data?.['to']], ['mike', 'mara']);
      const audit = await core.stores.audit.query({ subjectKind: 'case', subjectId: opened.id, action: 'case.handed-over' });
      assert.equal(audit.length, 1);
      const [event] = await core.stores.events.query({ types: ['case.handed-over'] });
      assert.deepEqual([event?.subject.case, event?.data['from'], event?.data['to']], [opened.id, 'mike', 'mara']);
      for (const [suffix, user] of [['handover-to', 'mara'], ['handover-from', 'mike']] as const) {
        const message = await core.stores.operations.getOutbox(`${opened.id}:${handed.revision}:${suffix}`);
        assert.deepEqual((message?.payload as { recipients?: string[] } | undefined)?.recipients, [user], `${user} is told`);
      }
    } finally {
      await core.close();
    }
  });
});
