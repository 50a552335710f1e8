/**
 * The events of the predictive maintenance engine: `maintenance.prediction.updated` with the remaining-life estimate,
 * its interval and the quality of the fit, and `maintenance.failure.predicted` with the same plus the maintenance
 * order it proposes (docs/maintenance.md). Pure: the same prediction always gives the same event.
 */
import type { DerivedEventInput } from '../../core/engine.js';
import type { PredictionSnapshot } from './degradation-tracker.js';
import type { PredictionSettings } from './maintenance-config.js';

const HOUR_MS = 3_600_000;
/** The proposed order is due this share of the earliest plausible time-to-failure from now: a fifth is kept as margin. */
export const DUE_SHARE = 0.8;

/** The priorities a CMMS order takes (the demo CMMS's). */
export type MaintenancePriority = 'low' | 'medium' | 'high' | 'emergency';

/** A maintenance order as a CMMS takes it (the demo plant's CMMS schema), proposed, never placed, by the engine. */
export interface ProposedMaintenanceOrder {
  equipment: string;
  description: string;
  priority: MaintenancePriority;
  /** ISO 8601, before the earliest plausible failure. */
  dueBy: string;
  type: 'predictive';
}

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (from: number, hours: number | null): string | null => (hours === null ? null : iso(from + hours * HOUR_MS));
/** Hours rounded to 0.001 h (3.6 s): finer means nothing to a planner and only makes the JSON longer. */
const hours = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);

/** The data both events share. */
export function predictionData(settings: PredictionSettings, prediction: PredictionSnapshot): Record<string, unknown> {
  const { estimate, fit } = prediction;
  return {
    signal: settings.signal,
    value: prediction.value,
    trendValue: prediction.trendValue,
    threshold: settings.failureAt,
    rising: settings.rising,
    horizonHours: settings.horizonHours,
    rulHours: hours(estimate.rulHours),
    rulLowerHours: hours(estimate.lowerHours),
    rulUpperHours: hours(estimate.upperHours),
    predictedFailureAt: at(prediction.at, estimate.rulHours),
    earliestFailureAt: at(prediction.at, estimate.lowerHours),
    latestFailureAt: at(prediction.at, estimate.upperHours),
    confidence: settings.confidence,
    model: settings.model,
    degrading: estimate.degrading,
    reached: estimate.reached,
    fit: {
      points: fit.n,
      from: iso(fit.from),
      to: iso(fit.to),
      slopePerHour: estimate.slope,
      slopeStdErr: estimate.slopeStdErr,
      residualSd: estimate.residualSd,
      r2: estimate.r2,
    },
  };
}

/** `maintenance.prediction.updated` for one evaluation. */
export function predictionUpdated(settings: PredictionSettings, prediction: PredictionSnapshot): DerivedEventInput {
  return { type: 'maintenance.prediction.updated', occurredAt: iso(prediction.at), subject: { equipment: settings.equipment }, data: predictionData(settings, prediction) };
}

/** How urgent the proposed order is, from the earliest plausible failure against the horizon. */
export function priorityOf(lowerHours: number, horizonHours: number): MaintenancePriority {
  if (lowerHours <= 0) return 'emergency';
  return lowerHours < horizonHours / 4 ? 'high' : 'medium';
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** The order proposed with a predicted failure: due before the earliest plausible failure. */
export function proposedOrder(settings: PredictionSettings, prediction: PredictionSnapshot): ProposedMaintenanceOrder {
  const { estimate } = prediction;
  const lower = estimate.lowerHours ?? 0;
  const task = settings.task ?? `Inspect ${settings.equipment.split('/').pop() ?? settings.equipment} and service what drives ${settings.signal}`;
  const when = estimate.reached
    ? `has reached ${format(settings.failureAt)}`
    : `is predicted to reach ${format(settings.failureAt)} in ${(estimate.rulHours ?? lower).toFixed(1)} h ` +
      `(${Math.round(settings.confidence * 100)}% interval ${lower.toFixed(1)}–${estimate.upperHours === null ? 'open' : estimate.upperHours.toFixed(1)} h)`;
  return {
    equipment: settings.equipment,
    description: `${task}: ${settings.signal} ${when}`,
    priority: priorityOf(lower, settings.horizonHours),
    dueBy: iso(prediction.at + Math.floor(DUE_SHARE * lower * HOUR_MS)),
    type: 'predictive',
  };
}

/** `maintenance.failure.predicted` for one evaluation: the prediction plus the proposed order. */
export function failurePredicted(settings: PredictionSettings, prediction: PredictionSnapshot): DerivedEventInput {
  return {
    type: 'maintenance.failure.predicted',
    occurredAt: iso(prediction.at),
    subject: { equipment: settings.equipment },
    data: { ...predictionData(settings, prediction), proposedMaintenanceOrder: proposedOrder(settings, prediction) },
  };
}
