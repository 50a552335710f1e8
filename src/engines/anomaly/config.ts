/**
 * Configuration of the streaming anomaly detector. The defaults are the one configuration used on every file of the
 * Numenta Anomaly Benchmark (docs/anomaly.md); a plant overrides them per signal only when it knows better.
 * Memories are in samples unless said otherwise: they set how fast each estimate forgets (an exponential time
 * constant), never how much state is kept.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InputError } from '../../core/errors.js';

const SeasonalSchema = Type.Object(
  {
    bucketsPerDay: Type.Integer({ minimum: 1, maximum: 1440, default: 96, description: 'Time-of-day buckets of the daily profile.' }),
    bucketMemory: Type.Number({ minimum: 1, default: 6, description: 'Memory of each daily bucket, in samples that fall into it.' }),
    minDays: Type.Number({ minimum: 0, default: 2, description: 'Days of data before the daily profile is used at all.' }),
    minGain: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.3,
      description: 'Share of the residual variance the profile must explain before values are compared with it (else the signal is treated as not seasonal).',
    }),
    spreadFall: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.05,
      description: 'How much slower a bucket’s usual spread falls than it rises, so a daily burst at the same hour is remembered as normal.',
    }),
    weeklyBucketsPerDay: Type.Integer({ minimum: 1, maximum: 288, default: 12, description: 'Time-of-day buckets per day of the weekly profile.' }),
    weeklyBucketMemory: Type.Number({ minimum: 1, default: 8, description: 'Memory of each weekly bucket, in samples that fall into it.' }),
    minWeeks: Type.Number({ minimum: 0, default: 2, description: 'Weeks of data before the weekly profile is used at all.' }),
    jumpSpread: Type.Number({
      minimum: 0,
      default: 0.5,
      description: 'Share of that usual spread a step between samples may reach at this time of day before it counts as a jump.',
    }),
  },
  { additionalProperties: false, default: {} },
);

const ComponentFloorsSchema = Type.Object(
  {
    spike: Type.Number({ minimum: 0, default: 5, description: 'Least deviation from the baseline, in typical deviations, that can count.' }),
    jump: Type.Number({ minimum: 0, default: 6.5, description: 'Least step from the previous sample, in typical steps, that can count.' }),
    levelShift: Type.Number({ minimum: 0, default: 2.5, description: 'Least shift of the short-window mean, in typical deviations, that can count.' }),
    extreme: Type.Number({ minimum: 0, default: 0.05, description: 'Least excursion beyond the long-run range of the value, as a share of that range, that can count.' }),
    variance: Type.Number({ minimum: 0, default: 0.5, description: 'Least relative change of the short-window step size against the usual one (0.5 = 1.5 times or two thirds) that can count.' }),
  },
  { additionalProperties: false, default: {} },
);

const SuppressionSchema = Type.Object(
  {
    memory: Type.Number({ minimum: 1, default: 500, description: 'Memory of the recent-peak envelope that later anomalies must exceed.' }),
    margin: Type.Number({ minimum: 1, default: 1.2, description: 'Factor by which a new peak must exceed the envelope to be reported in full.' }),
    damping: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Factor applied to the score of a sample that does not exceed the envelope.' }),
    holdOff: Type.Integer({
      minimum: 0,
      default: 60,
      description: 'Samples after an alarm (a score at or above alarmScore) during which a new peak must beat the envelope by holdOffMargin instead of margin.',
    }),
    holdOffMargin: Type.Number({ minimum: 1, default: 3, description: 'Factor by which a new peak must exceed the envelope during the hold-off after an alarm.' }),
    release: Type.Integer({
      minimum: 1,
      default: 180,
      description: 'Calm samples in a row (strength at most releaseLevel times the envelope) after which the envelope fades over releaseMemory instead of memory.',
    }),
    releaseLevel: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: 'Share of the envelope at or below which a sample counts as calm.' }),
    releaseMemory: Type.Number({ minimum: 1, default: 200, description: 'Memory of the envelope once the signal has been calm for release samples.' }),
  },
  { additionalProperties: false, default: {} },
);

export const AnomalyDetectorConfigSchema = Type.Object(
  {
    warmupSamples: Type.Integer({ minimum: 0, default: 150, description: 'Samples learnt before any score is reported; scores are 0 until then.' }),
    baselineMemory: Type.Number({ minimum: 10, default: 600, description: 'Memory of the level and scale baselines that spikes and shifts are measured against.' }),
    shortWindow: Type.Integer({ minimum: 2, maximum: 256, default: 6, description: 'Samples averaged to look for a level shift and a variance change.' }),
    rangeMemory: Type.Number({
      minimum: 10,
      default: 9000,
      description: 'Memory of the long-run range of the value: extremes widen it at once, and it narrows towards the level this slowly.',
    }),
    calibrationMemory: Type.Number({ minimum: 50, default: 1000, description: 'Memory of each component’s own history, against which its statistic is calibrated.' }),
    calibrationWidth: Type.Number({
      minimum: 0,
      default: 4,
      description: 'A statistic is unusual beyond its running mean plus this many running mean deviations.',
    }),
    floors: ComponentFloorsSchema,
    seasonal: SeasonalSchema,
    suppression: SuppressionSchema,
    alarmScore: Type.Number({ minimum: 0, maximum: 1, default: 0.4, description: 'Score at or above which a sample is an alarm (`anomaly.detected`).' }),
  },
  { additionalProperties: false },
);
export type AnomalyDetectorConfig = Static<typeof AnomalyDetectorConfigSchema>;

/**
 * The configuration with every default filled in, after checking the overrides against the schema.
 * @throws PF_ERR_CONFIG_INVALID when an override does not fit the schema.
 */
export function resolveDetectorConfig(overrides: unknown = {}): AnomalyDetectorConfig {
  const withDefaults: unknown = Value.Default(AnomalyDetectorConfigSchema, structuredClone(overrides ?? {}));
  if (!Value.Check(AnomalyDetectorConfigSchema, withDefaults)) {
    const first = Value.Errors(AnomalyDetectorConfigSchema, withDefaults).First();
    throw new InputError('PF_ERR_CONFIG_INVALID', `anomaly detector config ${first?.path || '/'}: ${first?.message ?? 'does not fit the schema'}`);
  }
  return withDefaults;
}
