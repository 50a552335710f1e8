/**
 * The `maintenance:` section of plant.yaml (docs/maintenance.md): which degradation signals the predictive maintenance
 * engine follows, the value at which each counts as failed, the planning horizon, and how the trend is fitted.
 * Read by the maintenance engine (engines/maintenance).
 */
import { Type, type Static } from '@sinclair/typebox';
import { DURATION_PATTERN, parseDuration } from './routing-config.js';

/** Defaults of a prediction's optional keys. */
export const MAINTENANCE_DEFAULTS = {
  rising: true,
  model: 'exponential',
  baseline: 0,
  minSamples: 60,
  window: '24h',
  confidence: 0.9,
  updateEveryMinutes: 60,
} as const;

/**
 * Longest fit window. The sample engine host rebuilds state from the last 24 h of the historian at start, so a
 * longer window would fit on less history after a restart than before it, and a replay would differ.
 */
export const MAX_MAINTENANCE_WINDOW_MS = 86_400_000;

/** The degradation laws the trend can follow. */
export const MAINTENANCE_MODELS = ['exponential', 'linear'] as const;
export type MaintenanceModel = (typeof MAINTENANCE_MODELS)[number];

/** One remaining-useful-life prediction: the series, its failure threshold, the horizon and the fit. */
export const PredictionSchema = Type.Object(
  {
    equipment: Type.String({ minLength: 1, description: 'The equipment path of the series, e.g. acme/plant-1/assembly/line-1/cnc-1.' }),
    signal: Type.String({ minLength: 1, maxLength: 128, description: 'The historian signal, e.g. spindle-vibration.' }),
    failureAt: Type.Number({ description: 'The value at which the equipment counts as failed (e.g. 11 mm/s RMS).' }),
    rising: Type.Optional(Type.Boolean({ description: 'True when the signal grows towards failureAt, false when it falls towards it. Default true.' })),
    horizonHours: Type.Number({ exclusiveMinimum: 0, description: 'Planning horizon: maintenance.failure.predicted when the earliest plausible failure is closer than this.' }),
    model: Type.Optional(
      Type.Union(MAINTENANCE_MODELS.map((model) => Type.Literal(model)), {
        description: 'exponential: log(value − baseline) is fitted by a line (wear that feeds itself, e.g. bearings); linear: the value is. Default exponential.',
      }),
    ),
    baseline: Type.Optional(Type.Number({ description: 'exponential only: the level the growth starts from (value − baseline grows exponentially). Default 0.' })),
    minSamples: Type.Optional(Type.Integer({ minimum: 10, maximum: 1440, description: 'One-minute points the window must hold before anything is estimated. Default 60.' })),
    window: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'How much history the fit uses, e.g. 24h (at most 24h, at least 10m). Default 24h.' })),
    confidence: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999, description: 'Two-sided confidence of the remaining-life interval. Default 0.9.' })),
    updateEveryMinutes: Type.Optional(Type.Number({ minimum: 1, maximum: 10_080, description: 'Sample-time minutes between maintenance.prediction.updated events. Default 60.' })),
    ignoreBelow: Type.Optional(Type.Number({ description: 'Readings below this are not condition readings (e.g. the spindle idling) and are left out of the fit.' })),
    ignoreAbove: Type.Optional(Type.Number({ description: 'Readings above this are left out of the fit (e.g. a sensor’s overload value).' })),
    task: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'What the proposed maintenance order asks for, e.g. "Replace the spindle bearing".' })),
  },
  { additionalProperties: false },
);
export type PredictionConfig = Static<typeof PredictionSchema>;

/** The `maintenance:` section. */
export const MaintenanceConfigSchema = Type.Object(
  { predictions: Type.Array(PredictionSchema, { description: 'One remaining-useful-life prediction per degradation signal.' }) },
  { additionalProperties: false },
);
export type MaintenanceConfig = Static<typeof MaintenanceConfigSchema>;

/** A problem of the section, at a JSON pointer into plant.yaml. */
export interface MaintenanceConfigIssue {
  path: string;
  message: string;
}

/**
 * The problems of a schema-valid maintenance section that the schema cannot see: unknown equipment, two predictions
 * for one series, a window out of range or shorter than minSamples minutes, thresholds the model cannot reach.
 */
export function maintenanceIssues(config: MaintenanceConfig | undefined, plant: { has(path: string): boolean }): MaintenanceConfigIssue[] {
  if (config === undefined) return [];
  const issues: MaintenanceConfigIssue[] = [];
  const seen = new Map<string, number>();
  config.predictions.forEach((prediction, index) => {
    const base = `/maintenance/predictions/${index}`;
    if (!plant.has(prediction.equipment)) issues.push({ path: `${base}/equipment`, message: `'${prediction.equipment}' is not a path of this plant` });
    const key = `${prediction.equipment}#${prediction.signal}`;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    else issues.push({ path: `${base}/signal`, message: `${prediction.signal} of ${prediction.equipment} already has a prediction (${`/maintenance/predictions/${earlier}`})` });
    const windowMs = parseDuration(prediction.window ?? MAINTENANCE_DEFAULTS.window) ?? 0;
    const minSamples = prediction.minSamples ?? MAINTENANCE_DEFAULTS.minSamples;
    if (windowMs < 600_000 || windowMs > MAX_MAINTENANCE_WINDOW_MS) {
      issues.push({ path: `${base}/window`, message: `'${prediction.window}' must be between 10m and 24h (the history replayed at start is 24 h)` });
    } else if (windowMs < minSamples * 60_000) {
      issues.push({ path: `${base}/window`, message: `'${prediction.window}' cannot hold minSamples (${minSamples}) one-minute points` });
    }
    const baseline = prediction.baseline ?? MAINTENANCE_DEFAULTS.baseline;
    if ((prediction.model ?? MAINTENANCE_DEFAULTS.model) === 'exponential' && !(prediction.failureAt > baseline)) {
      issues.push({ path: `${base}/failureAt`, message: `the exponential model needs failureAt above the baseline (${baseline}); use model: linear for a signal that crosses it` });
    }
    if (prediction.ignoreBelow !== undefined && prediction.ignoreAbove !== undefined && !(prediction.ignoreBelow < prediction.ignoreAbove)) {
      issues.push({ path: `${base}/ignoreAbove`, message: 'ignoreAbove must be above ignoreBelow' });
    }
  });
  return issues;
}
