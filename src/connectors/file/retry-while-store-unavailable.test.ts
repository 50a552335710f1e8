/**
 * When the sink refuses (the store is away and nothing could buffer it), the file stays in the drop folder, health
 * says why, and the file is retried through the backoff until the sink accepts it; only then does it move to done/.
 * The real core's sink buffers on disk instead of refusing, so this runs the connector over a real folder with a
 * sink that refuses on demand.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { Backoff } from '../../core/backoff.js';
import type { ConnectorContext, ConnectorSink } from '../../core/connector.js';
import { UnavailableError } from '../../core/errors.js';
import type { EventInput } from '../../core/event.js';
import { FileConfigSchema } from './config.js';
import { createFileConnector } from './file-connector.js';
import { until } from '../../../test/support/wait.js';

describe('file connector while the store is unavailable', () => {
  it('keeps the file in place and retries until the sink accepts it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-file-retry-'));
    let available = false;
    let refusals = 0;
    const accepted: EventInput[] = [];
    const sink: ConnectorSink = {
      async events(events) {
        if (!available) {
          refusals += 1;
          throw new UnavailableError('PF_ERR_INGEST_UNAVAILABLE', 'events could not be stored: database is locked');
        }
        accepted.push(...events);
      },
      async samples() {},
      async deadLetter() {},
    };
    const context: ConnectorContext = {
      id: 'exports',
      system: 'mes',
      sink,
      backoff: () => new Backoff({ initialMs: 50, maxMs: 200 }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: Date.now,
      stateDir: folder,
      feed: { onEvents: () => () => undefined, onSamples: () => () => undefined },
    };
    const config = Value.Default(FileConfigSchema, {
      folder,
      settleMs: 50,
      scanIntervalMs: 100,
      timestamp: { column: 'time' },
      rows: [{ eventType: 'custom.batch.closed', subject: { lot: '{lot}' } }],
    }) as Parameters<typeof createFileConnector>[0];
    const connector = createFileConnector(config, context);
    try {
      await connector.start();
      await until('connected', () => connector.health().state === 'connected');
      writeFileSync(join(folder, 'batches.csv'), 'time,lot\n2026-01-05T06:00:00Z,L-1\n2026-01-05T07:00:00Z,L-2\n');

      const degraded = await until('degraded', () => (connector.health().state === 'degraded' ? connector.health() : undefined));
      assert.match(degraded.lastError?.message ?? '', /batches\.csv: events could not be stored/);
      await until('a second attempt', () => refusals >= 2);
      assert.ok(existsSync(join(folder, 'batches.csv')), 'the file stays where it was');
      assert.ok(!existsSync(join(folder, 'done', 'batches.csv')));

      available = true;
      await until('the report in done/', () => existsSync(join(folder, 'done', 'batches.csv.report.json')));
      assert.ok(!existsSync(join(folder, 'batches.csv')));
      assert.deepEqual(accepted.map((event) => event.subject?.lot), ['L-1', 'L-2']);
      const report = JSON.parse(readFileSync(join(folder, 'done', 'batches.csv.report.json'), 'utf8')) as { events: number; status: string };
      assert.deepEqual([report.status, report.events], ['done', 2]);
      assert.equal(connector.health().state, 'connected', 'healthy again once the sink accepts');
    } finally {
      await connector.stop();
      rmSync(folder, { recursive: true, force: true });
    }
    assert.equal(connector.health().state, 'stopped');
  });
});
