/**
 * The tracker on synthetic degradation: an exponential trend with multiplicative (log-normal) noise, as rolling-element
 * bearings degrade, sampled every 10 s. Seeds are fixed, so every run sees the same series.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DegradationTracker, settled, type PredictionSnapshot, type TrackerOutput } from './degradation-tracker.js';
import type { PredictionSettings } from './maintenance-config.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const SETTINGS: PredictionSettings = {
  equipment: 'acme/plant-1/assembly/line-1/cnc-1',
  signal: 'spindle-vibration',
  failureAt: 11,
  rising: true,
  horizonHours: 24,
  model: 'exponential',
  baseline: 0,
  minSamples: 60,
  windowMs: 24 * HOUR,
  confidence: 0.9,
  updateEveryMinutes: 60,
};
/** 1.5 mm/s when new, 11 after 120 h: the demo bearing's law. */
const RATE = Math.log(11 / 1.5) / 120;

/** Seeded standard normal numbers (mulberry32 + Box–Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4_294_967_297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

interface Run {
  outputs: TrackerOutput[];
  failAt: number;
}

/** Feeds a bearing `ageHours` into its life until `hours` later; returns every output and the true failure time. */
function degrade(seed: number, ageHours: number, hours: number, noise = 0.05, settings = SETTINGS): Run {
  const tracker = new DegradationTracker(settings);
  const normal = normals(seed);
  const outputs: TrackerOutput[] = [];
  for (let ts = T0; ts < T0 + hours * HOUR; ts += 10_000) {
    const trend = 1.5 * Math.exp(RATE * (ageHours + (ts - T0) / HOUR));
    outputs.push(...tracker.update(ts, trend * Math.exp(noise * normal())));
  }
  return { outputs, failAt: T0 + (120 - ageHours) * HOUR };
}

const updates = (run: Run): PredictionSnapshot[] => run.outputs.filter((output) => output.kind === 'updated').map((output) => output.prediction);
const truthHours = (run: Run, prediction: PredictionSnapshot): number => (run.failAt - prediction.at) / HOUR;

describe('degradation tracker', () => {
  it('converges to the true failure time, inside its interval', () => {
    const run = degrade(1, 72, 47);
    const predictions = updates(run);
    assert.ok(predictions.length >= 45, `one prediction an hour once an hour of data is in, got ${predictions.length}`);
    const late = predictions.filter((prediction) => prediction.at >= T0 + 24 * HOUR);
    for (const prediction of late) {
      const { rulHours, lowerHours, upperHours } = prediction.estimate;
      const truth = truthHours(run, prediction);
      assert.ok(lowerHours! <= truth && truth <= upperHours!, `truth ${truth} h in [${lowerHours}, ${upperHours}]`);
      assert.ok(Math.abs(rulHours! - truth) < 1, `estimate ${rulHours} h within an hour of ${truth} h`);
    }
    const widthEarly = predictions[2]!.estimate.upperHours! - predictions[2]!.estimate.lowerHours!;
    const widthLate = late[0]!.estimate.upperHours! - late[0]!.estimate.lowerHours!;
    assert.ok(widthLate < widthEarly / 2, `the interval narrows as history builds up (${widthEarly} → ${widthLate} h)`);
  });

  it('covers the truth in at least the stated share of seeded trials', () => {
    const seeds = Array.from({ length: 30 }, (_, index) => 101 + index);
    let covered = 0;
    const widths: number[] = [];
    for (const seed of seeds) {
      const run = degrade(seed, 80, 20);
      const last = updates(run).at(-1)!;
      const truth = truthHours(run, last);
      if (last.estimate.lowerHours! <= truth && truth <= last.estimate.upperHours!) covered += 1;
      widths.push((last.estimate.upperHours! - last.estimate.lowerHours!) / truth);
    }
    assert.ok(covered / seeds.length >= SETTINGS.confidence, `covered ${covered} of ${seeds.length}`);
    widths.sort((a, b) => a - b);
    assert.ok(widths[15]! < 0.3, `and is informative: median width ${widths[15]} of the remaining life`);
  });

  it('predicts the failure once, when the earliest plausible failure comes inside the horizon, before it happens', () => {
    const run = degrade(2, 72, 47);
    const failures = run.outputs.filter((output) => output.kind === 'failure-predicted');
    assert.equal(failures.length, 1);
    const { estimate, at } = failures[0]!.prediction;
    assert.ok(estimate.lowerHours! < SETTINGS.horizonHours && estimate.degrading);
    const ahead = (run.failAt - at) / HOUR;
    assert.ok(ahead > 20 && ahead < 30, `predicted ${ahead} h ahead: about when the earliest failure is 24 h away`);
    const before = updates(run).filter((prediction) => prediction.at < at);
    assert.ok(before.length > 10);
    for (const prediction of before) {
      const { lowerHours } = prediction.estimate;
      // Earlier estimates had their earliest failure beyond the horizon, or an interval too wide to act on.
      assert.ok(lowerHours === null || lowerHours >= SETTINGS.horizonHours || !settled(prediction.estimate, SETTINGS.horizonHours), `acted late at ${prediction.at}`);
    }
  });

  it('predicts no failure for a flat signal', () => {
    const tracker = new DegradationTracker(SETTINGS);
    const normal = normals(3);
    const outputs: TrackerOutput[] = [];
    for (let ts = T0; ts < T0 + 30 * HOUR; ts += 10_000) outputs.push(...tracker.update(ts, 2.5 * Math.exp(0.05 * normal())));
    assert.ok(outputs.length > 20);
    assert.ok(outputs.every((output) => output.kind === 'updated'), 'no failure predicted');
    const last = outputs.at(-1)!.prediction.estimate;
    assert.ok(last.upperHours === null && !last.degrading, 'nothing bounds a failure that is not coming');
    assert.ok(last.lowerHours === null || last.lowerHours > 10 * SETTINGS.horizonHours);
  });

  it('follows a linear signal falling towards its threshold', () => {
    const settings: PredictionSettings = { ...SETTINGS, model: 'linear', rising: false, failureAt: 2, signal: 'supply-pressure' };
    const tracker = new DegradationTracker(settings);
    const normal = normals(4);
    const outputs: TrackerOutput[] = [];
    // 6 bar falling 0.1 bar/h: 2 bar after 40 h.
    for (let ts = T0; ts < T0 + 24 * HOUR; ts += 10_000) outputs.push(...tracker.update(ts, 6 - 0.1 * ((ts - T0) / HOUR) + 0.05 * normal()));
    const last = outputs.filter((output) => output.kind === 'updated').at(-1)!.prediction;
    const truth = (T0 + 40 * HOUR - last.at) / HOUR;
    assert.ok(Math.abs(last.estimate.rulHours! - truth) < 0.5 && last.estimate.lowerHours! <= truth && truth <= last.estimate.upperHours!);
    assert.ok(outputs.some((output) => output.kind === 'failure-predicted'), 'the earliest failure came inside the 24 h horizon');
  });

  it('leaves out readings outside the valid range and starts afresh after a repair', () => {
    const tracker = new DegradationTracker({ ...SETTINGS, ignoreBelow: 1 });
    const normal = normals(5);
    const outputs: TrackerOutput[] = [];
    for (let ts = T0; ts < T0 + 30 * HOUR; ts += 10_000) {
      const hours = (ts - T0) / HOUR;
      // Worn until hour 10, a new bearing from hour 12; the spindle idles (0.3 mm/s) every fifth minute.
      const idle = Math.floor(ts / 60_000) % 5 === 0;
      const value = hours < 10 ? 1.5 * Math.exp(RATE * (100 + hours)) : hours < 12 ? 0.3 : 1.5 * Math.exp(RATE * (hours - 12));
      outputs.push(...tracker.update(ts, idle ? 0.3 : value * Math.exp(0.05 * normal())));
    }
    const failures = outputs.filter((output) => output.kind === 'failure-predicted');
    assert.equal(failures.length, 1, 'the worn bearing, once');
    const last = outputs.at(-1)!.prediction;
    assert.ok(last.fit.from >= T0 + 12 * HOUR, 'the fit holds only the new bearing');
    assert.ok(Math.abs(last.estimate.rulHours! - (120 - 18)) < 12, `the new bearing has about 102 h left, estimated ${last.estimate.rulHours}`);
    assert.equal(tracker.inEpisode, false);
  });
});
