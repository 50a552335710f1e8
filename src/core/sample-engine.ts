/**
 * Engines over historian samples (anomaly detection, predictive maintenance): the same idea as event engines
 * (engine.ts) for the high-rate values that go to the historian instead of the log. Each sees, per series, its samples
 * in time order, keeps state it can rebuild by replaying the historian, and emits derived events onto the log.
 */
import type { DerivedEventInput } from './engine.js';
import type { Sample } from './event.js';

export interface SeriesRef {
  equipment: string;
  signal: string;
}

export interface SampleEngineContext<C, S> {
  config: C;
  state: S;
  /** True while the host rebuilds state from the historian at start; emits are dropped then (they were made before). */
  replaying: boolean;
  emit(event: DerivedEventInput): void;
}

export interface SampleEngineDefinition<C = unknown, S = unknown> {
  /** Stable kebab-case id; names the engine's derived events' source. */
  id: string;
  /** Which series the engine follows. */
  accepts(series: SeriesRef, config: C): boolean;
  createState(config: C): S;
  /** Handles one sample; called per series in time order. Must be deterministic (no wall clock, no randomness). */
  handle(sample: Sample, context: SampleEngineContext<C, S>): void;
}

/** Declares a sample engine; a typed identity function so config and state types flow into `handle`. */
export function defineSampleEngine<C, S>(definition: SampleEngineDefinition<C, S>): SampleEngineDefinition<C, S> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.id)) throw new Error(`engine id '${definition.id}' must be kebab-case`);
  return definition;
}
