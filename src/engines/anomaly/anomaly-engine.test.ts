import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DerivedEventInput } from '../../core/engine.js';
import type { Sample } from '../../core/event.js';
import { anomalyEngine, type AnomalyEngineState } from './anomaly-engine.js';
import { anomalyConfigOf, defaultAnomalyThreshold, thresholdFor, type AnomalyEngineConfig } from './anomaly-engine-config.js';

const PUMP = 'acme/plant-1/utilities/compressor-1';
const T0 = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;

/** A seeded, noisy but ordinary series around 7 bar, one sample every `stepMs`, with spikes of +3 bar at given indexes. */
function series(count: number, spikes: readonly number[] = [], seed = 11, stepMs = MINUTE): Sample[] {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  return Array.from({ length: count }, (_, index) => ({
    equipment: PUMP,
    signal: 'pressure',
    ts: T0 + index * stepMs,
    value: 7 + 0.2 * (uniform() - 0.5) + (spikes.includes(index) ? 3 : 0),
  }));
}

function run(samples: readonly Sample[], config: AnomalyEngineConfig, state: AnomalyEngineState = anomalyEngine.createState(config)): DerivedEventInput[] {
  const emitted: DerivedEventInput[] = [];
  for (const sample of samples) {
    if (!anomalyEngine.accepts(sample, config)) continue;
    anomalyEngine.handle(sample, { config, state, replaying: false, emit: (event) => emitted.push(event) });
  }
  return emitted;
}

const CONFIG = anomalyConfigOf({ signals: [{ equipment: PUMP, signal: 'pressure' }] });

describe('anomaly engine', () => {
  it('selects series by path, prefix and signal; the first matching selector gives the threshold', () => {
    const config = anomalyConfigOf({
      signals: [
        { equipment: `${PUMP}`, signal: 'power', threshold: 0.7 },
        { equipment: 'acme/plant-1/utilities/*', signal: '*' },
      ],
      threshold: 0.5,
    });
    assert.equal(thresholdFor({ equipment: PUMP, signal: 'power' }, config), 0.7);
    assert.equal(thresholdFor({ equipment: PUMP, signal: 'pressure' }, config), 0.5);
    assert.equal(thresholdFor({ equipment: 'acme/plant-1/utilities/power-meter-1', signal: 'energy' }, config), 0.5);
    assert.equal(thresholdFor({ equipment: 'acme/plant-1/assembly/line-1/cnc-1', signal: 'power' }, config), undefined);
    assert.equal(anomalyConfigOf(undefined).signals.length, 0);
    assert.equal(CONFIG.threshold, defaultAnomalyThreshold(), 'the detector’s NAB-optimised alarm score by default');
    assert.equal(CONFIG.cooldownMinutes, 30);
  });

  it('emits one anomaly.detected for a spike, with the detector’s explanation, and none for a clean series', () => {
    assert.deepEqual(run(series(900), CONFIG), [], 'a clean series raises nothing');
    const events = run(series(900, [700]), CONFIG);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event!.type, 'anomaly.detected');
    assert.equal(event!.occurredAt, new Date(T0 + 700 * MINUTE).toISOString());
    assert.deepEqual(event!.subject, { equipment: PUMP });
    const data = event!.data!;
    assert.equal(data['signal'], 'pressure');
    assert.ok((data['value'] as number) > 9.8);
    assert.ok((data['score'] as number) >= CONFIG.threshold);
    assert.equal(data['threshold'], CONFIG.threshold);
    assert.equal(data['kind'], 'spike');
    assert.ok((data['expectedLow'] as number) < 7 && 7 < (data['expectedHigh'] as number));
    assert.match(data['summary'] as string, /above the expected range/);
  });

  it('stays quiet on a series for the cooldown after an event', () => {
    // One sample a second: the spikes are far apart in samples (the detector's own damping of repeats has faded) and
    // 15 minutes apart in time.
    const samples = series(2000, [1000, 1900], 11, 1000);
    const at = (index: number) => new Date(T0 + index * 1000).toISOString();
    assert.deepEqual(run(samples, { ...CONFIG, cooldownMinutes: 10 }).map((event) => event.occurredAt), [at(1000), at(1900)]);
    assert.deepEqual(run(samples, { ...CONFIG, cooldownMinutes: 30 }).map((event) => event.occurredAt), [at(1000)]);
  });

  it('skips bad readings and is deterministic', () => {
    const samples = series(900, [700]).map((sample, index) => (index === 700 ? { ...sample, quality: 'bad' as const } : sample));
    assert.deepEqual(run(samples, CONFIG), [], 'a bad reading is not an anomaly of the process');
    assert.deepEqual(run(series(900, [650, 800]), CONFIG), run(series(900, [650, 800]), CONFIG));
  });
});
