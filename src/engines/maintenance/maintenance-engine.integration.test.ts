/**
 * The predictive maintenance engine on the real core: a degrading bearing's vibration through the ingest pipeline
 * into the historian and the sample engine host; hourly `maintenance.prediction.updated` events converge on the true
 * failure time, one `maintenance.failure.predicted` with a proposed order comes when the earliest plausible failure
 * is inside the horizon, and after a restart (state rebuilt from the historian) nothing is emitted twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Sample } from '../../core/event.js';
import { createCore, type Core } from '../../runtime/create-runtime.js';

const CNC = 'acme/plant-1/assembly/line-1/cnc-1';
const T0 = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
/** The demo bearing: 1.5 mm/s new, 11 mm/s after 120 h; 72 h old at T0, so it fails 48 h later. */
const RATE = Math.log(11 / 1.5) / 120;
const FAIL_AT = T0 + 48 * HOUR;

const PLANT = `
version: 1
enterprise: { id: acme }
sites:
  - id: plant-1
    areas:
      - id: assembly
        lines: [{ id: line-1, equipment: [{ id: cnc-1 }] }]
maintenance:
  predictions:
    - { equipment: ${CNC}, signal: spindle-vibration, failureAt: 11, horizonHours: 24, ignoreBelow: 1, task: Replace the spindle bearing }
`;

/** Readings every 10 s from `fromHour` for `hours`, seeded noise, the spindle idling (0.3 mm/s) one minute in six. */
function vibration(fromHour: number, hours: number): Sample[] {
  let state = 99 + fromHour;
  const uniform = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return (state + 1) / 4_294_967_297;
  };
  const samples: Sample[] = [];
  for (let ts = T0 + fromHour * HOUR; ts < T0 + (fromHour + hours) * HOUR; ts += 10_000) {
    const idle = Math.floor(ts / 60_000) % 6 === 0;
    const noise = Math.exp(0.05 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
    const value = idle ? 0.3 : 1.5 * Math.exp(RATE * (72 + (ts - T0) / HOUR)) * noise;
    samples.push({ equipment: CNC, signal: 'spindle-vibration', ts, value: Math.round(value * 1000) / 1000 });
  }
  return samples;
}

async function ingest(core: Core, samples: Sample[]): Promise<void> {
  for (let start = 0; start < samples.length; start += 2000) await core.pipeline.ingestSamples(samples.slice(start, start + 2000));
  await core.sampleEngines.idle();
}

describe('predictive maintenance engine on the real core', () => {
  it('predicts the failure with an interval, proposes an order once, and repeats nothing after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-maintenance-'));
    const configFile = join(dir, 'plant.yaml');
    writeFileSync(configFile, PLANT);
    try {
      let core = await createCore({ configFile, dataDir: dir, now: () => T0 });
      await core.sampleEngines.start();
      await ingest(core, vibration(0, 30));
      const query = async (type: string) => core.stores.events.query({ types: [type], limit: 10_000 });
      const updates = await query('maintenance.prediction.updated');
      assert.ok(updates.length >= 28 && updates.length <= 30, `hourly updates, got ${updates.length}`);
      const last = updates.at(-1)!;
      const truth = (FAIL_AT - Date.parse(last.occurredAt)) / HOUR;
      assert.equal(last.subject.equipment, CNC);
      assert.equal(last.data['signal'], 'spindle-vibration');
      assert.equal(last.data['threshold'], 11);
      assert.equal(last.data['model'], 'exponential');
      assert.equal(last.data['confidence'], 0.9);
      const [rul, lower, upper] = ['rulHours', 'rulLowerHours', 'rulUpperHours'].map((key) => last.data[key] as number);
      assert.ok(lower! <= truth && truth <= upper!, `truth ${truth} h in [${lower}, ${upper}]`);
      assert.ok(Math.abs(rul! - truth) < 1, `estimate ${rul} h, truth ${truth} h`);
      assert.ok(Math.abs(Date.parse(last.data['predictedFailureAt'] as string) - FAIL_AT) < HOUR);
      assert.ok(((last.data['fit'] as { r2: number }).r2) > 0.9);

      const failures = await query('maintenance.failure.predicted');
      assert.equal(failures.length, 1);
      const failure = failures[0]!;
      assert.ok((failure.data['rulLowerHours'] as number) < 24);
      const order = failure.data['proposedMaintenanceOrder'] as Record<string, string>;
      assert.equal(order['equipment'], CNC);
      assert.equal(order['type'], 'predictive');
      assert.match(order['description']!, /^Replace the spindle bearing: spindle-vibration is predicted to reach 11 in/);
      assert.ok(Date.parse(order['dueBy']!) < Date.parse(failure.data['earliestFailureAt'] as string), 'due before the earliest plausible failure');
      assert.ok(Date.parse(order['dueBy']!) < FAIL_AT);
      await core.close();

      core = await createCore({ configFile, dataDir: dir, now: () => T0 + 30 * HOUR });
      await core.sampleEngines.start();
      await ingest(core, vibration(30, 2));
      assert.deepEqual((await query('maintenance.failure.predicted')).map((event) => event.id), [failure.id], 'the episode is not reported again');
      const after = await query('maintenance.prediction.updated');
      assert.equal(new Set(after.map((event) => event.id)).size, after.length);
      assert.equal(after.length, updates.length + 2, 'two more hours, two more updates');
      await core.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
