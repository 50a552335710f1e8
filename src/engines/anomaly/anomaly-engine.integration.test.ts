/**
 * The anomaly engine on the real core: samples through the ingest pipeline into the historian, the sample engine host
 * feeding one detector per watched series, `anomaly.detected` on the log with the detector's explanation; a clean
 * series raises nothing, and a restart (state rebuilt from the historian) emits nothing twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Sample } from '../../core/event.js';
import { createCore, type Core } from '../../runtime/create-runtime.js';

const COMPRESSOR = 'acme/plant-1/utilities/compressor-1';
const METER = 'acme/plant-1/utilities/power-meter-1';
const T0 = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;

const PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: utilities
        equipment: [{ id: compressor-1 }, { id: power-meter-1 }]
anomaly:
  cooldownMinutes: 30
  signals:
    - { equipment: ${COMPRESSOR}, signal: pressure }
    - { equipment: acme/plant-1/utilities/*, signal: power }
`;

/** One sample a minute of a seeded, noisy series; `shape(index)` adds the anomaly. */
function series(equipment: string, signal: string, base: number, from: number, count: number, shape: (index: number) => number = () => 0): Sample[] {
  let state = 17 + signal.length + equipment.length + from;
  const uniform = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return { equipment, signal, ts: T0 + index * MINUTE, value: base * (1 + 0.02 * (uniform() - 0.5)) + shape(index) };
  });
}

async function ingest(core: Core, samples: Sample[]): Promise<void> {
  for (let start = 0; start < samples.length; start += 500) await core.pipeline.ingestSamples(samples.slice(start, start + 500));
  await core.sampleEngines.idle();
}

describe('anomaly engine on the real core', () => {
  it('reports an injected spike and a level shift once each with the explanation, nothing on a clean series, nothing twice after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-anomaly-'));
    const configFile = join(dir, 'plant.yaml');
    writeFileSync(configFile, PLANT);
    const end = T0 + 1200 * MINUTE;
    try {
      let core = await createCore({ configFile, dataDir: dir, now: () => T0 });
      await core.sampleEngines.start();
      await ingest(core, [
        ...series(COMPRESSOR, 'pressure', 7, 0, 1200, (index) => (index === 900 ? 2 : 0)),
        ...series(COMPRESSOR, 'power', 45, 0, 1200, (index) => (index >= 1000 ? 9 : 0)),
        ...series(METER, 'power', 120, 0, 1200),
      ]);
      const detected = async () => core.stores.events.query({ types: ['anomaly.detected'] });
      const first = await detected();
      assert.deepEqual(
        first.map((event) => [event.subject.equipment, event.data['signal'], event.occurredAt]),
        [
          [COMPRESSOR, 'pressure', new Date(T0 + 900 * MINUTE).toISOString()],
          [COMPRESSOR, 'power', new Date(T0 + 1000 * MINUTE).toISOString()],
        ],
        'the spike and the first sample of the shift; nothing from the clean meter',
      );
      const spike = first[0]!;
      assert.equal(spike.source.connector, 'anomaly');
      assert.equal(spike.data['kind'], 'spike');
      assert.ok((spike.data['score'] as number) >= (spike.data['threshold'] as number));
      assert.ok((spike.data['value'] as number) > (spike.data['expectedHigh'] as number));
      assert.match(spike.data['summary'] as string, /above the expected range/);
      await core.close();

      // Restarted: state comes back from the historian (emits dropped), and the series go on without a repeat.
      core = await createCore({ configFile, dataDir: dir, now: () => end });
      await core.sampleEngines.start();
      await ingest(core, [
        ...series(COMPRESSOR, 'pressure', 7, 1200, 200),
        ...series(COMPRESSOR, 'power', 54, 1200, 200),
        ...series(METER, 'power', 120, 1200, 200),
      ]);
      const after = await detected();
      assert.deepEqual(after.map((event) => event.id), first.map((event) => event.id), 'no duplicate, nothing new on ordinary data');
      await core.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
