/**
 * The operations part of the store contract: units of work committed whole with their audit entries, the chain
 * continuing across commits and reopens, cases found by their indexed fields, durable timers and the de-duplicating
 * outbox. Run by storeContract for every backend.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuditChainVerifier } from '../../src/core/audit.js';
import type { CaseRow } from '../../src/core/operations-store.js';
import type { Stores } from '../../src/core/store.js';

const T0 = Date.UTC(2026, 0, 5, 6);

function caseRow(id: string, overrides: Partial<CaseRow> = {}): CaseRow {
  return { id, kind: 'breakdown', status: 'open', area: 'assembly', correlationKey: `machine-fault|${id}`, openedAt: T0, updatedAt: T0, doc: { title: id }, ...overrides };
}

export function operationsContract(context: { stores(): Stores; reopen(): Promise<Stores> }): void {
  it('commits a unit of work with its audit entries, chained across commits and a reopen', async () => {
    const first = await context.stores().operations.commit({
      cases: [caseRow('c-1')],
      history: [{ caseId: 'c-1', at: T0, actor: 'system', action: 'case.opened' }],
      audit: [{ actor: 'system', action: 'case.opened', subject: { kind: 'case', id: 'c-1' }, reason: 'rule machine-fault', at: T0 }],
    });
    assert.equal(first.audit[0]!.seq, 1);
    const stores = await context.reopen();
    await stores.operations.commit({
      cases: [caseRow('c-1', { status: 'assigned', owner: 'mike', updatedAt: T0 + 1000, doc: { title: 'c-1', owner: 'mike' } })],
      history: [{ caseId: 'c-1', at: T0 + 1000, actor: 'system', action: 'case.assigned', data: { owner: 'mike' } }],
      audit: [{ actor: 'system', action: 'case.assigned', subject: { kind: 'case', id: 'c-1' }, data: { owner: 'mike' }, at: T0 + 1000 }],
    });
    const entries = await stores.audit.read(0, 100);
    assert.deepEqual(entries.map((entry) => [entry.seq, entry.action]), [[1, 'case.opened'], [2, 'case.assigned']]);
    assert.equal(entries[1]!.prevHash, entries[0]!.hash);
    const verifier = new AuditChainVerifier();
    entries.forEach((entry) => verifier.push(entry));
    assert.deepEqual(verifier.result(), { ok: true, entries: 2, head: { seq: 2, hash: entries[1]!.hash } });
    assert.deepEqual(await stores.audit.head(), { seq: 2, hash: entries[1]!.hash });
    const row = await stores.operations.getCase<{ owner: string }>('c-1');
    assert.equal(row?.status, 'assigned');
    assert.equal(row?.doc.owner, 'mike');
    assert.deepEqual((await stores.operations.caseHistory('c-1')).map((entry) => entry.action), ['case.opened', 'case.assigned']);
  });

  it('filters the ledger by time, actor, action prefix and subject', async () => {
    await context.stores().operations.commit({
      audit: [
        { actor: 'ada', action: 'auth.login.succeeded', at: T0 },
        { actor: 'ada', action: 'crosswalk.entry.added', subject: { kind: 'crosswalk', id: 'plc:X' }, at: T0 + 10 },
        { actor: 'mike', action: 'case.acknowledged', subject: { kind: 'case', id: 'c-9' }, at: T0 + 20 },
      ],
    });
    const audit = context.stores().audit;
    assert.deepEqual((await audit.query({ actor: 'ada' })).map((entry) => entry.seq), [1, 2]);
    assert.deepEqual((await audit.query({ action: 'case' })).map((entry) => entry.action), ['case.acknowledged']);
    assert.deepEqual((await audit.query({ action: 'auth.login' })).map((entry) => entry.action), ['auth.login.succeeded']);
    assert.deepEqual((await audit.query({ subjectKind: 'case', subjectId: 'c-9' })).length, 1);
    assert.deepEqual((await audit.query({ from: T0 + 10, to: T0 + 20 })).map((entry) => entry.seq), [2]);
  });

  it('finds cases by status, area, owner, correlation key and time, newest first', async () => {
    const operations = context.stores().operations;
    await operations.commit({
      cases: [
        caseRow('a', { openedAt: T0 }),
        caseRow('b', { openedAt: T0 + 1, status: 'assigned', owner: 'mike' }),
        caseRow('c', { openedAt: T0 + 2, area: 'warehouse', status: 'closed' }),
        caseRow('d', { openedAt: T0 + 3, area: undefined }),
      ],
    });
    assert.deepEqual((await operations.findCases({})).map((row) => row.id), ['d', 'c', 'b', 'a']);
    assert.deepEqual((await operations.findCases({ status: ['open', 'assigned'] })).map((row) => row.id), ['d', 'b', 'a']);
    assert.deepEqual((await operations.findCases({ areas: ['assembly'] })).map((row) => row.id), ['b', 'a']);
    assert.deepEqual((await operations.findCases({ areas: ['assembly'], includeNoArea: true })).map((row) => row.id), ['d', 'b', 'a']);
    assert.deepEqual((await operations.findCases({ areas: [] })).map((row) => row.id), []);
    assert.deepEqual((await operations.findCases({ owner: 'mike' })).map((row) => row.id), ['b']);
    assert.deepEqual((await operations.findCases({ correlationKey: 'machine-fault|c' })).map((row) => row.id), ['c']);
    assert.deepEqual((await operations.findCases({ openedFrom: T0 + 1, openedTo: T0 + 3 })).map((row) => row.id), ['c', 'b']);
    assert.equal(await operations.countCases({ status: ['open'] }), 2);
    assert.deepEqual((await operations.findCases({ limit: 2, offset: 1 })).map((row) => row.id), ['c', 'b']);
  });

  it('keeps durable timers: replace by id, clear, earliest first, due by time, across a reopen', async () => {
    await context.stores().operations.commit({
      timers: {
        set: [
          { id: 'c-1:ack', dueAt: T0 + 600_000, kind: 'sla.acknowledge', ref: 'c-1' },
          { id: 'c-1:resolve', dueAt: T0 + 3_600_000, kind: 'sla.resolve', ref: 'c-1', payload: { tier: 1 } },
          { id: 'c-2:ack', dueAt: T0 + 300_000, kind: 'sla.acknowledge', ref: 'c-2' },
        ],
      },
    });
    await context.stores().operations.commit({ timers: { set: [{ id: 'c-2:ack', dueAt: T0 + 900_000, kind: 'sla.acknowledge', ref: 'c-2' }], clear: ['c-1:ack'] } });
    const stores = await context.reopen();
    assert.equal((await stores.operations.nextTimer())?.id, 'c-2:ack');
    assert.deepEqual((await stores.operations.dueTimers(T0 + 1_000_000, 10)).map((timer) => timer.id), ['c-2:ack']);
    assert.deepEqual(await stores.operations.timersFor('c-1'), [{ id: 'c-1:resolve', dueAt: T0 + 3_600_000, kind: 'sla.resolve', ref: 'c-1', payload: { tier: 1 } }]);
  });

  it('de-duplicates outbox messages by id and tracks delivery attempts', async () => {
    const operations = context.stores().operations;
    const first = await operations.commit({ outbox: [{ id: 'n-1', channel: 'email', payload: { to: 'mike' }, createdAt: T0 }, { id: 'n-2', channel: 'webhook', payload: {}, createdAt: T0 }] });
    assert.deepEqual(first.outboxAdded, ['n-1', 'n-2']);
    const again = await operations.commit({ outbox: [{ id: 'n-1', channel: 'email', payload: { to: 'mike' }, createdAt: T0 + 5 }] });
    assert.deepEqual(again.outboxAdded, []);
    await operations.commit({ outboxUpdates: [{ id: 'n-2', status: 'pending', attempts: 1, nextAttemptAt: T0 + 60_000, lastError: 'connection refused' }] });
    assert.deepEqual((await operations.dueOutbox(T0 + 1, 10)).map((message) => message.id), ['n-1']);
    assert.deepEqual((await operations.dueOutbox(T0 + 60_000, 10)).map((message) => message.id), ['n-1', 'n-2']);
    await operations.commit({ outboxUpdates: [{ id: 'n-1', status: 'sent', attempts: 1, nextAttemptAt: T0 }] });
    assert.equal((await operations.getOutbox('n-1'))?.status, 'sent');
    assert.equal((await operations.getOutbox('n-2'))?.lastError, 'connection refused');
  });

  it('writes records and deletes them in the same unit as their audit entry', async () => {
    await context.stores().operations.commit({
      records: [{ kind: 'crosswalk', id: 'plc:X', value: { canonical: 'acme/p' } }],
      audit: [{ actor: 'ada', action: 'crosswalk.entry.added', subject: { kind: 'crosswalk', id: 'plc:X' } }],
    });
    assert.deepEqual(await context.stores().records.get('crosswalk', 'plc:X'), { canonical: 'acme/p' });
    await context.stores().operations.commit({ records: [{ kind: 'crosswalk', id: 'plc:X', delete: true }], audit: [{ actor: 'ada', action: 'crosswalk.entry.removed' }] });
    assert.equal(await context.stores().records.get('crosswalk', 'plc:X'), undefined);
    assert.equal((await context.stores().audit.head()).seq, 2);
  });
}
