/**
 * What the predictive maintenance engine needs: each prediction of the plant's `maintenance:` section with every
 * default filled in and the window in ms. The runtime builds it with `maintenanceConfigOf` after plant validation.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAINTENANCE_DEFAULTS, MAINTENANCE_MODELS, type MaintenanceConfig } from '../../core/maintenance-config.js';
import { parseDuration } from '../../core/routing-config.js';
import type { SeriesRef } from '../../core/sample-engine.js';

/** One prediction with every default filled in (the window in ms). */
export const PredictionSettingsSchema = Type.Object({
  equipment: Type.String({ minLength: 1 }),
  signal: Type.String({ minLength: 1 }),
  failureAt: Type.Number(),
  rising: Type.Boolean(),
  horizonHours: Type.Number({ exclusiveMinimum: 0 }),
  model: Type.Union(MAINTENANCE_MODELS.map((model) => Type.Literal(model))),
  baseline: Type.Number(),
  minSamples: Type.Integer({ minimum: 10 }),
  windowMs: Type.Integer({ minimum: 600_000 }),
  confidence: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  updateEveryMinutes: Type.Number({ minimum: 1 }),
  ignoreBelow: Type.Optional(Type.Number()),
  ignoreAbove: Type.Optional(Type.Number()),
  task: Type.Optional(Type.String()),
});
export type PredictionSettings = Static<typeof PredictionSettingsSchema>;

/** The maintenance engine's config: the predictions it follows. */
export const MaintenanceEngineConfigSchema = Type.Object({ predictions: Type.Array(PredictionSettingsSchema) });
export type MaintenanceEngineConfig = Static<typeof MaintenanceEngineConfigSchema>;

/** The engine config of a plant's `maintenance:` section (none: nothing followed, nothing emitted). */
export function maintenanceConfigOf(section: MaintenanceConfig | undefined): MaintenanceEngineConfig {
  return {
    predictions: (section?.predictions ?? []).map((prediction) => ({
      equipment: prediction.equipment,
      signal: prediction.signal,
      failureAt: prediction.failureAt,
      rising: prediction.rising ?? MAINTENANCE_DEFAULTS.rising,
      horizonHours: prediction.horizonHours,
      model: prediction.model ?? MAINTENANCE_DEFAULTS.model,
      baseline: prediction.baseline ?? MAINTENANCE_DEFAULTS.baseline,
      minSamples: prediction.minSamples ?? MAINTENANCE_DEFAULTS.minSamples,
      windowMs: parseDuration(prediction.window ?? MAINTENANCE_DEFAULTS.window) ?? 86_400_000,
      confidence: prediction.confidence ?? MAINTENANCE_DEFAULTS.confidence,
      updateEveryMinutes: prediction.updateEveryMinutes ?? MAINTENANCE_DEFAULTS.updateEveryMinutes,
      ...(prediction.ignoreBelow === undefined ? {} : { ignoreBelow: prediction.ignoreBelow }),
      ...(prediction.ignoreAbove === undefined ? {} : { ignoreAbove: prediction.ignoreAbove }),
      ...(prediction.task === undefined ? {} : { task: prediction.task }),
    })),
  };
}

/** The prediction that follows a series, if any. */
export function predictionFor(series: SeriesRef, config: MaintenanceEngineConfig): PredictionSettings | undefined {
  return config.predictions.find((prediction) => prediction.equipment === series.equipment && prediction.signal === series.signal);
}
