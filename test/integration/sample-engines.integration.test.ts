/**
 * Sample engines on the real store: they see each series in time order as samples are written, emit derived events
 * onto the log, and after a restart rebuild their state from the historian without emitting anything twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defineSampleEngine } from '../../src/core/sample-engine.js';
import type { SampleEngineRegistration } from '../../src/core/sample-engine-host.js';
import { createCore } from '../../src/runtime/create-runtime.js';

const configFile = fileURLToPath(new URL('../fixtures/plant.yaml', import.meta.url));
const PRESS = 'acme/plant-1/assembly/line-1/press-1';
const T0 = Date.UTC(2026, 0, 5, 6);

/** Emits when a signal first rises above its limit, and again only after it fell back below. */
const crossing = defineSampleEngine<{ limit: number }, { above: Map<string, boolean> }>({
  id: 'limit-crossing',
  accepts: (series) => series.signal === 'temperature',
  createState: () => ({ above: new Map() }),
  handle(sample, context) {
    const above = sample.value > context.config.limit;
    if (above && context.state.above.get(sample.equipment) !== true) {
      context.emit({ type: 'custom.limit.crossed', occurredAt: new Date(sample.ts).toISOString(), subject: { equipment: sample.equipment }, data: { value: sample.value } });
    }
    context.state.above.set(sample.equipment, above);
  },
});

const registration: SampleEngineRegistration = { definition: crossing as SampleEngineRegistration['definition'], config: { limit: 80 } };
const samples = (values: number[], offset: number) =>
  values.map((value, index) => ({ equipment: PRESS, signal: 'temperature', ts: T0 + (offset + index) * 1000, value }));

describe('sample engines', () => {
  it('emit from live samples, skip other series, and rebuild from the historian after a restart without emitting twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-sample-engines-'));
    try {
      let core = await createCore({ configFile, dataDir: dir, sampleEngines: [registration], now: () => T0 + 3_600_000 });
      await core.sampleEngines.start();
      await core.pipeline.ingestSamples([...samples([70, 85, 90], 0), { equipment: PRESS, signal: 'pressure', ts: T0, value: 999 }]);
      await core.sampleEngines.idle();
      const crossed = async () => core.stores.events.query({ types: ['custom.limit.crossed'] });
      assert.deepEqual((await crossed()).map((event) => event.data['value']), [85]);
      await core.close();

      // After a restart the engine knows from the historian that the press is still above the limit.
      core = await createCore({ configFile, dataDir: dir, sampleEngines: [registration], now: () => T0 + 3_600_000 });
      await core.sampleEngines.start();
      await core.pipeline.ingestSamples(samples([95, 60, 88], 3));
      await core.sampleEngines.idle();
      assert.deepEqual((await crossed()).map((event) => event.data['value']), [85, 88], 'no second event for the crossing already reported');
      // Late, older samples of a series are kept in the historian but not fed to the engine out of order.
      await core.pipeline.ingestSamples(samples([99], 1.5));
      await core.sampleEngines.idle();
      assert.equal((await crossed()).length, 2);
      const [first] = await crossed();
      assert.equal(first!.source.system, 'plantfabric');
      assert.equal(first!.receivedAt, new Date(T0 + 1000).toISOString(), 'stamped with the sample time, so a replay is identical');
      await core.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
