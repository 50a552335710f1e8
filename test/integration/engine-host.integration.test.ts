import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defineEngine } from '../../src/core/engine.js';
import type { EngineRegistration } from '../../src/core/engine-host.js';
import { createCore, type Core } from '../../src/runtime/create-runtime.js';

const configFile = fileURLToPath(new URL('../fixtures/plant.yaml', import.meta.url));
const PRESS = 'acme/plant-1/assembly/line-1/press-1';

/** Counts parts and emits a milestone every 10: its state must survive restarts by replay. */
function counterEngine(calls: { live: number; replayed: number }) {
  return defineEngine({
    id: 'part-counter',
    subscribes: ['production.*'],
    createState: () => ({ parts: 0 }),
    handle(event, context) {
      if (context.replaying) calls.replayed += 1;
      else calls.live += 1;
      context.state.parts += Number(event.data['good'] ?? 0);
      if (context.state.parts % 10 === 0) {
        context.emit({ type: 'custom.parts.milestone', occurredAt: event.occurredAt, subject: event.subject, data: { parts: context.state.parts } });
      }
    },
  });
}

const thrower = defineEngine({
  id: 'thrower',
  subscribes: ['production.count.recorded'],
  handle(event) {
    if (event.data['good'] === 1 && event.id.endsWith('-13')) throw new Error('cannot handle part 13');
  },
});

function watcher(seen: string[]) {
  return defineEngine({ id: 'watcher', subscribes: ['*'], handle: (event) => void seen.push(event.id) });
}

const counts = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, offset) => ({
    id: `count-${from + offset}`,
    type: 'production.count.recorded',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 6) + (from + offset) * 1000).toISOString(),
    source: { system: 'test' },
    subject: { equipment: PRESS },
    data: { good: 1 },
  }));

async function milestones(core: Core): Promise<number[]> {
  const events = await core.stores.events.query({ types: ['custom.parts.milestone'] });
  return events.map((event) => event.data['parts'] as number);
}

describe('engine host on SQLite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-engines-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('isolates a throwing handler, checkpoints, and resumes after restart without re-emitting', async () => {
    const firstCalls = { live: 0, replayed: 0 };
    const seen: string[] = [];
    const engines = (calls: typeof firstCalls): EngineRegistration[] =>
      [counterEngine(calls), thrower, watcher(seen)].map((definition) => ({ definition }));

    let core = await createCore({ configFile, dataDir, engines: engines(firstCalls) });
    await core.engines.start();
    await core.pipeline.ingestValue(counts(0, 30));
    await core.engines.waitForIdle();

    assert.deepEqual(await milestones(core), [10, 20, 30]);
    assert.ok(seen.includes('count-29') && seen.includes('count-14'), 'the watcher kept going past the failing event');
    const failures = await core.stores.deadLetters.list({ stage: 'engine' });
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.engineId, 'thrower');
    assert.equal(failures[0]!.eventId, 'count-13');
    assert.equal(failures[0]!.code, 'PF_ERR_ENGINE_HANDLER');
    const status = await core.engines.status();
    assert.ok(status.every((engine) => engine.lag === 0));
    assert.equal(status.find((engine) => engine.id === 'thrower')?.failures, 1);
    await core.close();

    const secondCalls = { live: 0, replayed: 0 };
    core = await createCore({ configFile, dataDir, engines: engines(secondCalls) });
    await core.engines.start();
    assert.equal(secondCalls.replayed, 30, 'state was rebuilt from history up to the checkpoint');
    await core.pipeline.ingestValue(counts(30, 40));
    await core.engines.waitForIdle();
    assert.equal(secondCalls.live, 10, 'only events after the checkpoint were handled live');
    assert.deepEqual(await milestones(core), [10, 20, 30, 40], 'rebuilt state continued the count; nothing emitted twice');
    assert.equal((await core.stores.deadLetters.list({ stage: 'engine' })).length, 1, 'the old failure was not recorded again');

    // A crash between appending derived events and saving the checkpoint: the re-run emits the same ids, which the log ignores.
    await core.engines.stop();
    await core.stores.checkpoints.setCheckpoint('engine:part-counter', 0);
    await core.close();
    const thirdCalls = { live: 0, replayed: 0 };
    core = await createCore({ configFile, dataDir, engines: engines(thirdCalls) });
    await core.engines.start();
    await core.engines.waitForIdle();
    assert.ok(thirdCalls.live >= 40);
    assert.deepEqual(await milestones(core), [10, 20, 30, 40]);
    await core.close();
  });
});
