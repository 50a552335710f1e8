/**
 * The store contract: behaviour every backend must show, written once and run against each (SQLite now,
 * PostgreSQL next). Nothing here may know which backend it is talking to.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CanonicalEvent, StoredEvent } from '../../src/core/event.js';
import type { Stores } from '../../src/core/store.js';
import { operationsContract } from './operations-contract.js';

export interface BackendUnderTest {
  /** Opens fresh, empty stores. */
  open(): Promise<Stores>;
  /** Closes and reopens the same data, to show it survives. */
  reopen(stores: Stores): Promise<Stores>;
  cleanup(): Promise<void>;
}

const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const CNC = 'acme/plant-1/assembly/line-1/cnc-1';
const PRESS_TWO = 'acme/plant-1/assembly/line-1/press-10';

export function event(id: string, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    id,
    type: 'production.count.recorded',
    occurredAt: '2026-01-01T06:00:00.000Z',
    receivedAt: '2026-01-01T06:00:00.100Z',
    source: { system: 'test' },
    subject: { equipment: PRESS },
    data: { good: 1 },
    quality: 'good',
    ...overrides,
  };
}

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 6, minute)).toISOString();

export function storeContract(name: string, backend: BackendUnderTest): void {
  describe(`store contract: ${name}`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
      await backend.cleanup();
    });

    describe('EventLog', () => {
      it('appends with gap-free positions and returns the events exactly as given', async () => {
        const events = [event('a'), event('b', { data: { good: 2, nested: { x: [1, 2] } } }), event('c')];
        const result = await stores.events.append(events);
        assert.deepEqual(result.duplicates, []);
        assert.deepEqual(result.appended.map((stored) => stored.position), [1, 2, 3]);
        assert.deepEqual(result.appended[1], { ...events[1], position: 2 });
        assert.equal(await stores.events.head(), 3);
      });

      it('is idempotent by id, also inside one batch, and a skipped duplicate consumes no position', async () => {
        await stores.events.append([event('a')]);
        const result = await stores.events.append([event('a'), event('b'), event('b'), event('c')]);
        assert.deepEqual(result.duplicates, ['a', 'b']);
        assert.deepEqual(result.appended.map((stored) => [stored.id, stored.position]), [['b', 2], ['c', 3]]);
        const all = await stores.events.readFrom(0, 100);
        assert.deepEqual(all.map((stored) => stored.position), [1, 2, 3]);
      });

      it('reads from a position in order, with a limit', async () => {
        await stores.events.append(Array.from({ length: 10 }, (_, index) => event(`e${index}`)));
        const page = await stores.events.readFrom(4, 3);
        assert.deepEqual(page.map((stored) => stored.id), ['e4', 'e5', 'e6']);
        assert.deepEqual(await stores.events.readFrom(10, 5), []);
      });

      it('queries by type, equipment subtree, work order, lot, time window and position', async () => {
        await stores.events.append([
          event('s1', { type: 'equipment.state.changed', occurredAt: at(0), data: { state: 'execute' } }),
          event('c1', { occurredAt: at(1), subject: { equipment: PRESS, workOrder: 'wo-1', lot: 'lot-1' } }),
          event('c2', { occurredAt: at(2), subject: { equipment: CNC, workOrder: 'wo-2' } }),
          event('c3', { occurredAt: at(3), subject: { equipment: PRESS_TWO } }),
          event('c4', { occurredAt: at(4), subject: { equipment: `${PRESS}/spindle` } }),
        ]);
        const ids = (events: StoredEvent[]) => events.map((stored) => stored.id);
        assert.deepEqual(ids(await stores.events.query({ types: ['equipment.state.changed'] })), ['s1']);
        assert.deepEqual(ids(await stores.events.query({ equipment: PRESS })), ['s1', 'c1', 'c4'], 'a path matches itself and below, not press-10');
        assert.deepEqual(ids(await stores.events.query({ workOrder: 'wo-2' })), ['c2']);
        assert.deepEqual(ids(await stores.events.query({ lot: 'lot-1' })), ['c1']);
        assert.deepEqual(ids(await stores.events.query({ from: Date.parse(at(1)), to: Date.parse(at(3)) })), ['c1', 'c2'], 'from inclusive, to exclusive');
        assert.deepEqual(ids(await stores.events.query({ afterPosition: 3, limit: 1 })), ['c3']);
        assert.deepEqual(ids(await stores.events.query({ equipment: 'acme/plant-1/assembly/line-1/press_1' })), [], 'LIKE wildcards are escaped');
      });

      it('answers newest first by occurrence when asked: the last state of a machine', async () => {
        await stores.events.append([
          event('late', { type: 'equipment.state.changed', occurredAt: at(9), data: { state: 'held' } }),
          event('early', { type: 'equipment.state.changed', occurredAt: at(1), data: { state: 'execute' } }),
          event('other', { occurredAt: at(5) }),
        ]);
        const newest = await stores.events.query({ equipment: PRESS, types: ['equipment.state.changed'], newestFirst: true, limit: 1 });
        assert.deepEqual(newest.map((stored) => stored.id), ['late'], 'by occurredAt, not arrival');
        assert.deepEqual((await stores.events.query({ newestFirst: true })).map((stored) => stored.id), ['late', 'other', 'early']);
      });

      it('reports which ids exist, across many ids', async () => {
        await stores.events.append(Array.from({ length: 1200 }, (_, index) => event(`x${index}`)));
        const asked = [...Array.from({ length: 1200 }, (_, index) => `x${index}`), 'missing'];
        const found = await stores.events.existingIds(asked);
        assert.equal(found.size, 1200);
        assert.equal(found.has('missing'), false);
      });

      it('notifies subscribers after commit with the appended events only', async () => {
        const seen: string[][] = [];
        const unsubscribe = stores.events.subscribe((events) => seen.push(events.map((stored) => stored.id)));
        await stores.events.append([event('a'), event('b')]);
        await stores.events.append([event('a')]);
        unsubscribe();
        await stores.events.append([event('c')]);
        assert.deepEqual(seen, [['a', 'b']]);
      });

      it('keeps the log across a reopen', async () => {
        await stores.events.append([event('a'), event('b')]);
        stores = await backend.reopen(stores);
        assert.equal(await stores.events.head(), 2);
        const result = await stores.events.append([event('b'), event('c')]);
        assert.deepEqual(result.appended.map((stored) => stored.position), [3]);
      });

      it('refuses work after close with PF_ERR_STORE_UNAVAILABLE', async () => {
        const closed = stores;
        await closed.close();
        await assert.rejects(closed.events.append([event('z')]), { code: 'PF_ERR_STORE_UNAVAILABLE' });
        stores = await backend.open();
      });
    });

    describe('Historian', () => {
      const samples = (signal: string, count: number, start = 0) =>
        Array.from({ length: count }, (_, index) => ({ equipment: PRESS, signal, ts: start + index * 1000, value: index }));

      it('writes batches, ignores repeated (equipment, signal, ts), and reads a range in time order', async () => {
        const first = await stores.historian.write([...samples('rms', 10), { equipment: CNC, signal: 'rms', ts: 0, value: 99, quality: 'bad' }]);
        assert.deepEqual(first, { written: 11, duplicates: 0 });
        const again = await stores.historian.write(samples('rms', 3));
        assert.deepEqual(again, { written: 0, duplicates: 3 });
        const range = await stores.historian.range({ equipment: PRESS, signal: 'rms', from: 2000, to: 5000 });
        assert.deepEqual(range.map((point) => [point.ts, point.value, point.quality]), [[2000, 2, 'good'], [3000, 3, 'good'], [4000, 4, 'good']]);
        const bad = await stores.historian.range({ equipment: CNC, signal: 'rms', from: 0, to: 1 });
        assert.equal(bad[0]?.quality, 'bad');
        assert.deepEqual(await stores.historian.range({ equipment: PRESS, signal: 'nothing', from: 0, to: 1e12 }), []);
      });

      it('aggregates min/max/avg/count per epoch-aligned bucket', async () => {
        await stores.historian.write(samples('temp', 10, 500));
        const buckets = await stores.historian.aggregate({ equipment: PRESS, signal: 'temp', from: 0, to: 20_000, bucketMs: 5000 });
        assert.deepEqual(buckets, [
          { ts: 0, min: 0, max: 4, avg: 2, count: 5 },
          { ts: 5000, min: 5, max: 9, avg: 7, count: 5 },
        ]);
      });

      it('lists series below an equipment path and deletes old samples', async () => {
        await stores.historian.write([...samples('a', 3), { equipment: CNC, signal: 'b', ts: 10, value: 1 }]);
        const series = await stores.historian.series(PRESS);
        assert.deepEqual(series, [{ equipment: PRESS, signal: 'a', first: 0, last: 2000, count: 3 }]);
        assert.equal((await stores.historian.series()).length, 2);
        assert.equal(await stores.historian.deleteBefore(1500), 3);
        assert.equal((await stores.historian.range({ equipment: PRESS, signal: 'a', from: 0, to: 1e12 })).length, 1);
      });
    });

    describe('DeadLetterStore', () => {
      const raw = new Uint8Array([0x7b, 0x22, 0x00, 0xff, 0x0a]);
      const input = { stage: 'decode' as const, code: 'PF_ERR_INGEST_DECODE', message: 'bad', raw, contentType: 'application/json', source: { system: 'mqtt', address: 'a/b' } };

      it('keeps raw bytes exactly, with stage, code, reason and source', async () => {
        const added = await stores.deadLetters.add({ ...input, details: { line: 3 } });
        const read = await stores.deadLetters.get(added.id);
        assert.ok(read);
        assert.deepEqual([...read.raw], [...raw]);
        assert.deepEqual([read.stage, read.code, read.status, read.attempts], ['decode', 'PF_ERR_INGEST_DECODE', 'open', 0]);
        assert.deepEqual(read.source, { system: 'mqtt', address: 'a/b' });
        assert.deepEqual(read.details, { line: 3 });
        assert.equal(await stores.deadLetters.get('no-such-id'), undefined);
      });

      it('lists in creation order with filters and paging, and counts by status', async () => {
        const a = await stores.deadLetters.add(input);
        const b = await stores.deadLetters.add({ ...input, stage: 'engine', engineId: 'oee', eventId: 'e1' });
        const c = await stores.deadLetters.add(input);
        assert.deepEqual((await stores.deadLetters.list()).map((entry) => entry.id), [a.id, b.id, c.id]);
        assert.deepEqual((await stores.deadLetters.list({ engineId: 'oee' })).map((entry) => entry.id), [b.id]);
        assert.deepEqual((await stores.deadLetters.list({ stage: 'decode', afterId: a.id })).map((entry) => entry.id), [c.id]);
        await stores.deadLetters.discard(c.id);
        assert.equal(await stores.deadLetters.count('open'), 2);
        assert.equal(await stores.deadLetters.count(), 3);
      });

      it('records replay attempts: a failure keeps it open with the new reason, a success marks it replayed', async () => {
        const added = await stores.deadLetters.add(input);
        const failed = await stores.deadLetters.recordAttempt(added.id, { ok: false, code: 'PF_ERR_INGEST_SCHEMA', message: 'still bad' });
        assert.deepEqual([failed.status, failed.attempts, failed.code, failed.message], ['open', 1, 'PF_ERR_INGEST_SCHEMA', 'still bad']);
        const replayed = await stores.deadLetters.recordAttempt(added.id, { ok: true });
        assert.deepEqual([replayed.status, replayed.attempts], ['replayed', 2]);
        assert.ok(replayed.resolvedAt !== undefined);
        await assert.rejects(stores.deadLetters.recordAttempt('nope', { ok: true }), { code: 'PF_ERR_DEADLETTER_NOT_FOUND' });
        await assert.rejects(stores.deadLetters.discard('nope'), { code: 'PF_ERR_DEADLETTER_NOT_FOUND' });
      });
    });

    describe('RecordStore and CheckpointStore', () => {
      it('puts, replaces, lists by kind in id order, and deletes', async () => {
        await stores.records.put('user', 'b', { name: 'B' });
        await stores.records.put('user', 'a', { name: 'A' });
        await stores.records.put('token', 'a', { other: true });
        await stores.records.put('user', 'a', { name: 'A2' });
        assert.deepEqual(await stores.records.get('user', 'a'), { name: 'A2' });
        assert.deepEqual(await stores.records.list('user'), [{ id: 'a', value: { name: 'A2' } }, { id: 'b', value: { name: 'B' } }]);
        assert.equal(await stores.records.delete('user', 'a'), true);
        assert.equal(await stores.records.delete('user', 'a'), false);
        assert.equal(await stores.records.get('user', 'a'), undefined);
      });

      it('keeps checkpoints per consumer, 0 when unknown, across a reopen', async () => {
        assert.equal(await stores.checkpoints.getCheckpoint('engine:oee'), 0);
        await stores.checkpoints.setCheckpoint('engine:oee', 42);
        await stores.checkpoints.setCheckpoint('engine:oee', 43);
        await stores.checkpoints.setCheckpoint('engine:spc', 7);
        stores = await backend.reopen(stores);
        assert.equal(await stores.checkpoints.getCheckpoint('engine:oee'), 43);
        assert.deepEqual(await stores.checkpoints.listCheckpoints(), [{ consumer: 'engine:oee', position: 43 }, { consumer: 'engine:spc', position: 7 }]);
      });
    });

    describe('OperationsStore and AuditLedger', () => {
      operationsContract({
        stores: () => stores,
        reopen: async () => {
          stores = await backend.reopen(stores);
          return stores;
        },
      });
    });
  });
}
