/**
 * The anomaly engine: one streaming detector per watched historian series (plant.yaml `anomaly:`), fed every sample
 * in time order; a score at or above the series' threshold emits `anomaly.detected` with the detector's explanation,
 * then the series stays quiet for `cooldownMinutes` of sample time. Memory per series is the detector's fixed-size
 * state; nothing depends on the wall clock, so a replay of the same samples emits the same events.
 */
import type { DerivedEventInput } from '../../core/engine.js';
import type { Sample } from '../../core/event.js';
import { defineSampleEngine } from '../../core/sample-engine.js';
import { thresholdFor, type AnomalyEngineConfig } from './anomaly-engine-config.js';
import { createDetector, type AnomalyDetector, type AnomalyResult } from './detector.js';

const MINUTE_MS = 60_000;

/** One watched series: its detector, its threshold and when it last raised an event. */
interface SeriesWatch {
  detector: AnomalyDetector;
  threshold: number;
  lastEventAt: number | undefined;
}

/** One watch per series seen, created at its first sample. */
export interface AnomalyEngineState {
  series: Map<string, SeriesWatch>;
}

/** The event for an alarm: what was seen, what was expected, and why it counts. */
export function anomalyEvent(sample: Sample, result: AnomalyResult, threshold: number): DerivedEventInput {
  const { explanation } = result;
  return {
    type: 'anomaly.detected',
    occurredAt: new Date(sample.ts).toISOString(),
    subject: { equipment: sample.equipment },
    data: {
      signal: sample.signal,
      value: sample.value,
      score: result.score,
      threshold,
      kind: explanation.kind,
      expected: explanation.expected,
      expectedLow: explanation.low,
      expectedHigh: explanation.high,
      strength: explanation.strength,
      seasonal: explanation.seasonal,
      summary: explanation.summary,
    },
  };
}

function watchFor(state: AnomalyEngineState, sample: Sample, config: AnomalyEngineConfig): SeriesWatch | undefined {
  const key = `${sample.equipment}\u0000${sample.signal}`;
  let watch = state.series.get(key);
  if (watch === undefined) {
    const threshold = thresholdFor(sample, config);
    if (threshold === undefined) return undefined;
    // The detector composes its sentence for scores at its alarmScore, so it gets the series' threshold as that.
    watch = { detector: createDetector({ alarmScore: threshold }), threshold, lastEventAt: undefined };
    state.series.set(key, watch);
  }
  return watch;
}

/** Config is built by the runtime from plant.yaml (`anomalyConfigOf`). */
export const anomalyEngine = defineSampleEngine<AnomalyEngineConfig, AnomalyEngineState>({
  id: 'anomaly',
  accepts: (series, config) => thresholdFor(series, config) !== undefined,
  createState: () => ({ series: new Map() }),
  handle(sample, context) {
    // A reading the source marked bad says nothing about the process; it neither scores nor teaches the detector.
    if (sample.quality === 'bad') return;
    const watch = watchFor(context.state, sample, context.config);
    if (watch === undefined) return;
    const result = watch.detector.update(sample.ts, sample.value);
    if (result.score < watch.threshold) return;
    if (watch.lastEventAt !== undefined && sample.ts - watch.lastEventAt < context.config.cooldownMinutes * MINUTE_MS) return;
    watch.lastEventAt = sample.ts;
    context.emit(anomalyEvent(sample, result, watch.threshold));
  },
});
