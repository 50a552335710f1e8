import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlantfabricError } from '../../core/errors.js';
import { createDetector, type AnomalyDetector, type AnomalyResult } from './detector.js';

const FIVE_MINUTES = 300_000;
const START = Date.UTC(2024, 0, 1);

/** A seeded generator (mulberry32) and Gaussian noise from it, so every run sees the same series. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Feeds `values` at five-minute steps and returns every result. */
function run(values: readonly number[], config: unknown = {}): AnomalyResult[] {
  const detector = createDetector(config);
  return values.map((value, index) => detector.update(START + index * FIVE_MINUTES, value));
}

function series(length: number, at: (index: number, gauss: () => number) => number, seed = 1): number[] {
  const gauss = noise(seed);
  return Array.from({ length }, (_, index) => at(index, gauss));
}

const ALARM = createDetector().config.alarmScore;
const maxScore = (results: AnomalyResult[], from: number, to: number): number => Math.max(...results.slice(from, to).map((r) => r.score));
const firstAlarm = (results: AnomalyResult[], from: number): number => results.findIndex((r, index) => index >= from && r.score >= ALARM);

describe('streaming anomaly detector', () => {
  it('flags a spike in a noisy signal and says it is a spike above the range', () => {
    const values = series(3000, (index, gauss) => 50 + gauss() + (index === 2000 ? 15 : 0));
    const results = run(values);
    assert.ok(results[2000]!.score >= ALARM, `spike scored ${results[2000]!.score}`);
    assert.equal(results[2000]!.explanation.kind, 'spike');
    assert.match(results[2000]!.explanation.summary, /above the expected range/);
    assert.ok(results[2000]!.score > maxScore(results, 300, 2000) + 0.1, 'the spike stands far above every earlier score');
  });

  it('flags a level shift within a few samples', () => {
    const values = series(3000, (index, gauss) => 20 + gauss() + (index >= 2000 ? 6 : 0));
    const results = run(values);
    const alarm = firstAlarm(results, 2000);
    assert.ok(alarm >= 2000 && alarm <= 2005, `first alarm after the shift at ${alarm}`);
    assert.ok(maxScore(results, 2000, 2006) > maxScore(results, 300, 2000), 'the shift outscores everything before it');
    assert.ok(['spike', 'level-shift'].includes(results[alarm]!.explanation.kind));
  });

  it('flags a variance change as one', () => {
    const values = series(4000, (index, gauss) => 10 + gauss() * (index >= 2500 ? 4 : 1));
    const results = run(values);
    const alarm = firstAlarm(results, 2500);
    assert.ok(alarm >= 2500 && alarm <= 2530, `first alarm after the change at ${alarm}`);
    assert.ok(maxScore(results, 2500, 2600) > maxScore(results, 300, 2500), 'the change outscores everything before it');
    assert.ok(results.slice(2500, 2600).some((r) => r.explanation.kind === 'variance-change' && r.explanation.strength > 0), 'the variance component fires');
  });

  it('stays quiet on a clean seasonal signal once it has learnt the day, and uses the profile', () => {
    const perDay = 288;
    const values = series(perDay * 14, (index, gauss) => 100 + 40 * Math.sin((2 * Math.PI * index) / perDay) + gauss());
    const results = run(values);
    assert.ok(maxScore(results, perDay * 3, values.length) < ALARM, `max score ${maxScore(results, perDay * 3, values.length)}`);
    assert.ok(results.at(-1)!.explanation.seasonal, 'the daily profile is in use');
    assert.ok(Math.abs(results.at(-1)!.explanation.expected - values.at(-1)!) < 5, 'the expected value follows the day');
  });

  it('flags a break in the daily pattern that stays inside the usual range', () => {
    const perDay = 288;
    const values = series(perDay * 10, (index, gauss) => {
      const wave = 40 * Math.sin((2 * Math.PI * index) / perDay);
      // Day 8 runs upside down: every value is one the signal takes each day, at the wrong time of day.
      return 100 + (Math.floor(index / perDay) === 8 ? -wave : wave) + gauss();
    });
    const results = run(values);
    assert.ok(maxScore(results, perDay * 8, perDay * 9) >= ALARM, 'the inverted day is flagged');
    const alarm = firstAlarm(results, perDay * 8);
    assert.equal(results[alarm]!.explanation.kind, 'pattern-change');
    assert.ok(maxScore(results, perDay * 3, perDay * 8) < ALARM, 'no alarm on the normal days');
  });

  it('damps repeated alarms after the first one', () => {
    const values = series(3000, (index, gauss) => 50 + gauss() + (index >= 2000 && index < 2010 && index % 2 === 0 ? 12 : 0));
    const results = run(values);
    assert.ok(results[2000]!.score >= ALARM);
    assert.ok(results.slice(2002, 2010).every((r) => r.score < results[2000]!.score), 'later spikes of the same size score lower');
    assert.ok(results.slice(2002, 2010).some((r) => r.explanation.suppressed));
  });

  it('does not alarm again on the very next samples of an anomaly, thanks to the hold-off after an alarm', () => {
    // An old, large spike widens the range, so the spike at 2000 alarms only just; the step back down after it is
    // stronger still (more than the suppression margin), and without the hold-off it would alarm a second time.
    const values = series(3000, (index, gauss) => 50 + gauss() + (index === 500 ? 25 : index === 2000 ? 8 : 0));
    const alarms = (results: AnomalyResult[]): number => results.slice(2000, 2020).filter((r) => r.score >= ALARM).length;
    const held = run(values);
    const unheld = run(values, { suppression: { holdOff: 0 } });
    assert.equal(firstAlarm(held, 1000), 2000);
    assert.equal(alarms(held), 1, 'one alarm with the hold-off');
    assert.equal(alarms(unheld), 2, 'two alarms without it');
    assert.ok(held[2001]!.explanation.suppressed && held[2001]!.explanation.strength > unheld[2000]!.explanation.strength);
  });

  it('releases the suppression once the signal has been calm, so a later, weaker anomaly is still reported', () => {
    // A strong spike, then a weaker one 600 samples later: the envelope of the first still covers the second unless
    // the calm in between releases it.
    const values = series(3000, (index, gauss) => 50 + gauss() + (index === 2000 ? 20 : index === 2600 ? 12 : 0));
    const released = run(values);
    const unreleased = run(values, { suppression: { release: 1_000_000 } });
    assert.ok(released[2000]!.score >= ALARM && unreleased[2000]!.score >= ALARM, 'the first spike alarms either way');
    assert.ok(released[2600]!.score >= ALARM && !released[2600]!.explanation.suppressed, `the second scored ${released[2600]!.score}`);
    assert.ok(unreleased[2600]!.explanation.suppressed && unreleased[2600]!.score < ALARM, 'without the release it is suppressed');
    assert.ok(maxScore(released, 2001, 2600) < ALARM, 'nothing in between alarms');
  });

  it('keeps its state the same size after a million samples', () => {
    const detector = createDetector();
    const gauss = noise(7);
    for (let index = 0; index < 1000; index++) detector.update(START + index * FIVE_MINUTES, 5 + gauss());
    const small = JSON.stringify(detector.snapshot()).length;
    for (let index = 1000; index < 1_000_000; index++) detector.update(START + index * FIVE_MINUTES, 5 + gauss() + (index % 100_000 === 0 ? 50 : 0));
    const snapshot = detector.snapshot();
    const large = JSON.stringify(snapshot).length;
    assert.ok(large < small * 1.5, `state grew from ${small} to ${large} characters`);
    assert.equal(snapshot.ring.length, detector.config.shortWindow);
    assert.equal(snapshot.season.length, detector.config.seasonal.bucketsPerDay);
  });

  it('resumes from a JSON snapshot with identical scores, and is deterministic', () => {
    const values = series(8000, (index, gauss) => 30 + 10 * Math.sin(index / 40) + gauss() + (index === 6000 ? 25 : 0), 3);
    const original = createDetector();
    for (let index = 0; index < 4000; index++) original.update(START + index * FIVE_MINUTES, values[index]!);
    const resumed = createDetector();
    resumed.restore(JSON.parse(JSON.stringify(original.snapshot())));
    for (let index = 4000; index < values.length; index++) {
      const ts = START + index * FIVE_MINUTES;
      assert.deepEqual(resumed.update(ts, values[index]!), original.update(ts, values[index]!), `sample ${index}`);
    }
    assert.deepEqual(run(values).map((r) => r.score), run(values).map((r) => r.score));
  });

  it('ignores non-finite values without learning from them', () => {
    const values = series(1000, (_, gauss) => 5 + gauss());
    const clean = run(values);
    const detector = createDetector();
    const withGaps = values.map((value, index) => {
      if (index === 500) assert.equal(detector.update(START + index * FIVE_MINUTES - 1, Number.NaN).score, 0);
      return detector.update(START + index * FIVE_MINUTES, value);
    });
    assert.deepEqual(withGaps.map((r) => r.score), clean.map((r) => r.score));
  });

  it('rejects a configuration or a snapshot that does not fit, with PF_ERR_CONFIG_INVALID', () => {
    assert.throws(() => createDetector({ shortWindow: 1 }), (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_INVALID');
    assert.throws(() => createDetector({ unknownKey: 1 }), (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_INVALID');
    const snapshot = createDetector({ shortWindow: 8 }).snapshot();
    assert.throws(() => createDetector().restore(snapshot), (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_INVALID');
    const olderFormat = { ...createDetector().snapshot(), version: 1 } as unknown as ReturnType<AnomalyDetector['snapshot']>;
    assert.throws(() => createDetector().restore(olderFormat), (error: unknown) => error instanceof PlantfabricError && error.code === 'PF_ERR_CONFIG_INVALID');
  });
});
