import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalEvent, StoredEvent } from '../event.js';
import type { AppendResult, EventLog } from '../store.js';
import { GroupCommitter } from './group-commit.js';

/** A fake log for the batching logic alone: it records transactions; the real stores have their own contract suite. */
class RecordingLog implements Pick<EventLog, 'append'> {
  readonly transactions: number[] = [];
  readonly ids = new Set<string>();
  fail = false;
  #position = 0;

  async append(events: readonly CanonicalEvent[]): Promise<AppendResult> {
    if (this.fail) throw new Error('disk full');
    this.transactions.push(events.length);
    const appended: StoredEvent[] = [];
    const duplicates: string[] = [];
    for (const event of events) {
      if (this.ids.has(event.id)) duplicates.push(event.id);
      else {
        this.ids.add(event.id);
        this.#position += 1;
        appended.push({ ...event, position: this.#position });
      }
    }
    return { appended, duplicates };
  }
}

const event = (id: string): CanonicalEvent => ({
  id,
  type: 'custom.test.happened',
  occurredAt: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
  source: { system: 'test' },
  subject: {},
  data: {},
  quality: 'good',
});
const events = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => event(`${prefix}-${index}`));

describe('GroupCommitter', () => {
  it('gathers concurrent submissions into one transaction and gives each caller its own result', async () => {
    const log = new RecordingLog();
    const committer = new GroupCommitter(log as unknown as EventLog, { maxBatch: 100, maxDelayMs: 0 });
    const [first, second] = await Promise.all([committer.append(events('a', 3)), committer.append([event('b-0'), event('a-1')])]);
    assert.deepEqual(log.transactions, [5]);
    assert.deepEqual(first.appended.map((stored) => stored.id), ['a-0', 'a-1', 'a-2']);
    assert.deepEqual(second.appended.map((stored) => stored.id), ['b-0']);
    assert.deepEqual(second.duplicates, ['a-1'], 'an id already committed by the first caller is a duplicate for the second');
  });

  it('splits a submission larger than maxBatch into several transactions', async () => {
    const log = new RecordingLog();
    const committer = new GroupCommitter(log as unknown as EventLog, { maxBatch: 4, maxDelayMs: 0 });
    const result = await committer.append(events('x', 10));
    assert.deepEqual(log.transactions, [4, 4, 2]);
    assert.deepEqual(result.appended.map((stored) => stored.position), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('rejects every waiting caller when the store fails, and recovers afterwards', async () => {
    const log = new RecordingLog();
    const committer = new GroupCommitter(log as unknown as EventLog, { maxBatch: 100, maxDelayMs: 0 });
    log.fail = true;
    const results = await Promise.allSettled([committer.append(events('a', 2)), committer.append(events('b', 2))]);
    assert.deepEqual(results.map((result) => result.status), ['rejected', 'rejected']);
    log.fail = false;
    const retry = await committer.append(events('a', 2));
    assert.equal(retry.appended.length, 2);
  });

  it('waits up to maxDelayMs to fill a batch, and drain commits what is queued', async () => {
    const log = new RecordingLog();
    const committer = new GroupCommitter(log as unknown as EventLog, { maxBatch: 100, maxDelayMs: 50 });
    const pending = committer.append(events('a', 2));
    const later = committer.append(events('b', 2));
    await committer.drain();
    assert.deepEqual(log.transactions, [4]);
    assert.equal((await pending).appended.length + (await later).appended.length, 4);
  });
});
