/**
 * What the anomaly engine needs: the plant's `anomaly:` section with every default filled in. The runtime builds it
 * from plant.yaml with `anomalyConfigOf`, after plant validation has checked the equipment paths.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AnomalySignalSelectorSchema, DEFAULT_ANOMALY_COOLDOWN_MINUTES, equipmentSelected, type AnomalyConfig } from '../../core/anomaly-config.js';
import type { SeriesRef } from '../../core/sample-engine.js';
import { resolveDetectorConfig } from './config.js';

/** The anomaly engine's config: the `anomaly:` section with its defaults filled in. */
export const AnomalyEngineConfigSchema = Type.Object({
  signals: Type.Array(AnomalySignalSelectorSchema),
  threshold: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  cooldownMinutes: Type.Number({ minimum: 0 }),
});
export type AnomalyEngineConfig = Static<typeof AnomalyEngineConfigSchema>;

/**
 * The threshold used when plant.yaml names none: the detector's own default `alarmScore`, which is where the NAB
 * optimiser puts the line (docs/anomaly.md), so a re-tuned detector brings its threshold with it.
 */
export function defaultAnomalyThreshold(): number {
  return resolveDetectorConfig({}).alarmScore;
}

/** The engine config of a plant's `anomaly:` section (none: no series watched, nothing emitted). */
export function anomalyConfigOf(section: AnomalyConfig | undefined): AnomalyEngineConfig {
  return {
    signals: section?.signals ?? [],
    threshold: section?.threshold ?? defaultAnomalyThreshold(),
    cooldownMinutes: section?.cooldownMinutes ?? DEFAULT_ANOMALY_COOLDOWN_MINUTES,
  };
}

/** The threshold of a series: that of the first selector matching it, undefined when none does (not watched). */
export function thresholdFor(series: SeriesRef, config: AnomalyEngineConfig): number | undefined {
  const selector = config.signals.find((entry) => (entry.signal === '*' || entry.signal === series.signal) && equipmentSelected(entry.equipment, series.equipment));
  return selector === undefined ? undefined : (selector.threshold ?? config.threshold);
}
