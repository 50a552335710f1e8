/**
 * The predictive maintenance engine: for each degradation signal of plant.yaml `maintenance:` it fits the trend
 * online and estimates the remaining useful life to the failure threshold with a prediction interval, emitting
 * `maintenance.prediction.updated` every `updateEveryMinutes` of sample time and `maintenance.failure.predicted`
 * (with a proposed maintenance order) once per episode when the earliest plausible failure comes inside the planning
 * horizon. Deterministic: the sample times are its only clock.
 */
import { defineSampleEngine } from '../../core/sample-engine.js';
import { DegradationTracker } from './degradation-tracker.js';
import { predictionFor, type MaintenanceEngineConfig } from './maintenance-config.js';
import { failurePredicted, predictionUpdated } from './maintenance-events.js';

/** One tracker per followed series, created at its first reading. */
export interface MaintenanceEngineState {
  trackers: Map<string, DegradationTracker>;
}

/** Config is built by the runtime from plant.yaml (`maintenanceConfigOf`). */
export const maintenanceEngine = defineSampleEngine<MaintenanceEngineConfig, MaintenanceEngineState>({
  id: 'maintenance',
  accepts: (series, config) => predictionFor(series, config) !== undefined,
  createState: () => ({ trackers: new Map() }),
  handle(sample, context) {
    // A reading the source marked bad is no evidence of wear either way.
    if (sample.quality === 'bad') return;
    const key = `${sample.equipment}\u0000${sample.signal}`;
    let tracker = context.state.trackers.get(key);
    if (tracker === undefined) {
      const settings = predictionFor(sample, context.config);
      if (settings === undefined) return;
      tracker = new DegradationTracker(settings);
      context.state.trackers.set(key, tracker);
    }
    for (const output of tracker.update(sample.ts, sample.value)) {
      context.emit(output.kind === 'updated' ? predictionUpdated(tracker.settings, output.prediction) : failurePredicted(tracker.settings, output.prediction));
    }
  },
});
