/**
 * The `anomaly:` section of plant.yaml (docs/anomaly.md, "The engine"): which historian series the anomaly engine
 * watches, the score at which it raises `anomaly.detected`, and how long it stays quiet on a series after an event.
 * Read by the anomaly engine (engines/anomaly); the detector's own tuning lives with the detector.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Default of `cooldownMinutes`. */
export const DEFAULT_ANOMALY_COOLDOWN_MINUTES = 30;

const score = (description: string) => Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description });

/** Which series a detector runs on, and optionally its own threshold. */
export const AnomalySignalSelectorSchema = Type.Object(
  {
    equipment: Type.String({
      minLength: 1,
      description: 'An equipment path, or a path prefix ending in * (acme/plant-1/utilities/* or just *) for every series below it.',
    }),
    signal: Type.String({ minLength: 1, maxLength: 128, description: 'A signal name, or * for every signal of the equipment.' }),
    threshold: Type.Optional(score('A detector score in (0, 1); overrides the section threshold for these series.')),
  },
  { additionalProperties: false },
);
export type AnomalySignalSelector = Static<typeof AnomalySignalSelectorSchema>;

/** The `anomaly:` section. */
export const AnomalyConfigSchema = Type.Object(
  {
    signals: Type.Array(AnomalySignalSelectorSchema, { description: 'The series watched; the first selector that matches a series gives its threshold.' }),
    threshold: Type.Optional(score('Detector score in (0, 1) at or above which anomaly.detected is emitted. Default: the detector’s NAB-optimised alarmScore (docs/anomaly.md).')),
    cooldownMinutes: Type.Optional(
      Type.Number({ minimum: 0, description: 'No second anomaly.detected for the same series within this many minutes of sample time. Default 30.' }),
    ),
  },
  { additionalProperties: false },
);
export type AnomalyConfig = Static<typeof AnomalyConfigSchema>;

/** A problem of the section, at a JSON pointer into plant.yaml. */
export interface AnomalyConfigIssue {
  path: string;
  message: string;
}

/** True when an equipment selector (a path, or a prefix ending in `*`) covers `path`. */
export function equipmentSelected(selector: string, path: string): boolean {
  return selector.endsWith('*') ? path.startsWith(selector.slice(0, -1)) : selector === path;
}

/**
 * The problems of a schema-valid anomaly section that the schema cannot see: an equipment path that is not in the
 * plant, a prefix that covers none of it, a `*` in the middle of a path.
 */
export function anomalyIssues(config: AnomalyConfig | undefined, plant: { nodes(): Array<{ path: string }> }): AnomalyConfigIssue[] {
  if (config === undefined) return [];
  const paths = plant.nodes().map((node) => node.path);
  const issues: AnomalyConfigIssue[] = [];
  config.signals.forEach((selector, index) => {
    const path = `/anomaly/signals/${index}/equipment`;
    if (selector.equipment.slice(0, -1).includes('*')) {
      issues.push({ path, message: `'${selector.equipment}' may hold * only at its end (a path prefix)` });
    } else if (!paths.some((candidate) => equipmentSelected(selector.equipment, candidate))) {
      const what = selector.equipment.endsWith('*') ? 'covers no path of this plant' : 'is not a path of this plant';
      issues.push({ path, message: `'${selector.equipment}' ${what} (enterprise/site/area/line/equipment, or such a prefix ending in *)` });
    }
    if (selector.signal.includes('*') && selector.signal !== '*') {
      issues.push({ path: `/anomaly/signals/${index}/signal`, message: `'${selector.signal}' must be a signal name or * alone` });
    }
  });
  return issues;
}
