import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Backoff } from '../core/backoff.js';
import { UnavailableError } from '../core/errors.js';
import type { IngestOutcome, Ingestor } from '../core/ingest.js';
import { openSqliteStores, SqliteForwardQueue } from '../store/sqlite/index.js';
import { ForwardingSink } from './connector-sink.js';

/** An ingestor that can be switched off: a stand-in for a store that went away (logic test; the queue is real). */
class SwitchableIngestor implements Pick<Ingestor, 'ingestValue' | 'ingestSamples'> {
  available = true;
  readonly received: unknown[] = [];
  async ingestValue(value: unknown): Promise<IngestOutcome> {
    if (!this.available) throw new UnavailableError('PF_ERR_INGEST_UNAVAILABLE', 'store down');
    this.received.push(...(value as unknown[]));
    return { accepted: [], duplicates: [], rejected: [] };
  }
  async ingestSamples(value: unknown) {
    if (!this.available) throw new UnavailableError('PF_ERR_INGEST_UNAVAILABLE', 'store down');
    this.received.push(...(value as unknown[]));
    return { written: (value as unknown[]).length, duplicates: 0, rejected: [] };
  }
}

const event = (n: number) => ({ type: 'custom.test.counted', occurredAt: new Date(n).toISOString(), source: { system: 'test' }, data: { n } });

describe('store-and-forward', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-forward-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('buffers in order while ingest is unavailable, drains in order when it returns, and survives a restart', async () => {
    const stores = openSqliteStores({ file: join(dir, 'main.db') });
    const ingestor = new SwitchableIngestor();
    const conditions: Array<{ buffering: boolean; overflow?: string }> = [];
    const makeSink = (queue: SqliteForwardQueue) =>
      new ForwardingSink({
        connector: 'c1', system: 'plc', ingestor: ingestor as unknown as Ingestor, deadLetters: stores.deadLetters, queue,
        backoff: new Backoff({ initialMs: 10, maxMs: 20, jitter: 0 }), onCondition: (condition) => conditions.push(condition),
      });
    let queue = new SqliteForwardQueue({ file: join(dir, 'queue.db'), maxBatches: 3 });
    let sink = makeSink(queue);
    await sink.start();

    await sink.events([event(1)]);
    ingestor.available = false;
    await sink.events([event(2)]);
    await sink.events([event(3)]);
    assert.equal(sink.buffered, 2);
    // Close and reopen while the store is still away: what was buffered is on disk.
    await sink.close();
    await queue.close();
    queue = new SqliteForwardQueue({ file: join(dir, 'queue.db'), maxBatches: 3 });
    sink = makeSink(queue);
    await sink.start();
    await sink.events([event(4)]);
    await sink.events([event(5)]);
    assert.ok(conditions.some((condition) => condition.overflow?.includes('queue full')), 'overflow is reported');
    ingestor.available = true;
    for (let attempt = 0; attempt < 200 && sink.buffered > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sink.buffered, 0, 'the queue drained by itself once ingest returned');
    await sink.events([event(6)]);
    assert.deepEqual(ingestor.received.map((item) => (item as { data: { n: number } }).data.n), [1, 2, 3, 4, 6], 'in order; 5 was dropped by the full queue and reported');
    assert.equal(conditions.at(-1)?.buffering, false);
    await sink.close();
    await queue.close();
    await stores.close();
  });
});
