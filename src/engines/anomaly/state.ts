/**
 * The detector's whole state for one signal: numbers and fixed-length arrays of numbers only, so it is plain JSON for
 * checkpoints and its size depends on the configuration, never on how long the stream has run.
 */
import type { AnomalyDetectorConfig } from './config.js';

/** Components of the ensemble, in the order of the calibration arrays (see docs/anomaly.md). */
export const COMPONENTS = ['spike', 'jump', 'levelShift', 'variance', 'extreme'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface DetectorState {
  version: 2;
  /** Samples learnt. */
  n: number;
  firstTs: number;
  /** Baseline level of the (deseasonalised) signal and its typical absolute deviation. */
  level: number;
  scale: number;
  /** Typical magnitude of the raw value (sets the least scale that counts). */
  absLevel: number;
  /** Smallest non-zero change seen: the signal's resolution, below which no change is meaningful. */
  minStep: number;
  prevY: number;
  prevValue: number;
  /** Typical absolute step between samples. */
  stepScale: number;
  /** Short and long mean squared steps, for variance changes. */
  varShort: number;
  varLong: number;
  /** The last shortWindow deseasonalised values and the baseline level when each arrived. */
  ring: number[];
  levelRing: number[];
  ringSum: number;
  ringPos: number;
  /** Daily profile: per time-of-day bucket, the offset from the level, its usual spread, and visits. */
  season: number[];
  seasonSpread: number[];
  seasonVisits: number[];
  /** Weekly profile: per day-of-week and hour bucket, the same three as the daily profile. */
  week: number[];
  weekSpread: number[];
  weekVisits: number[];
  /** Mean squared deviation from the level without a profile, with the daily and with the weekly one. */
  errPlain: number;
  errSeasonal: number;
  errWeekly: number;
  /** Profile in use: 0 none, 1 daily, 2 weekly (whichever explains the signal best, while it explains enough). */
  seasonActive: number;
  /** Per component: running mean and mean deviation of its statistic. */
  calMean: number[];
  calDev: number[];
  /** Long-run range of the raw value: widened at once by extremes, narrowed towards the level over rangeMemory. */
  hi: number;
  lo: number;
  /** Recent-peak envelope of the combined strength, for damping repeated alarms. */
  envelope: number;
  /** Samples since the last alarm (score at or above alarmScore), for the hold-off after it. */
  sinceAlarm: number;
  /** Calm samples in a row (strength well under the envelope), after which the envelope is released faster. */
  calm: number;
}

/** `sinceAlarm` before the first alarm: a finite number (the state is JSON) beyond any hold-off. */
const NEVER = Number.MAX_SAFE_INTEGER;

export function emptyState(config: AnomalyDetectorConfig): DetectorState {
  const buckets = config.seasonal.bucketsPerDay;
  return {
    version: 2,
    n: 0,
    firstTs: 0,
    level: 0,
    scale: 0,
    absLevel: 0,
    minStep: 0,
    prevY: 0,
    prevValue: 0,
    stepScale: 0,
    varShort: 0,
    varLong: 0,
    ring: new Array<number>(config.shortWindow).fill(0),
    levelRing: new Array<number>(config.shortWindow).fill(0),
    ringSum: 0,
    ringPos: 0,
    season: new Array<number>(buckets).fill(0),
    seasonSpread: new Array<number>(buckets).fill(0),
    seasonVisits: new Array<number>(buckets).fill(0),
    week: new Array<number>(7 * config.seasonal.weeklyBucketsPerDay).fill(0),
    weekSpread: new Array<number>(7 * config.seasonal.weeklyBucketsPerDay).fill(0),
    weekVisits: new Array<number>(7 * config.seasonal.weeklyBucketsPerDay).fill(0),
    errPlain: 0,
    errSeasonal: 0,
    errWeekly: 0,
    seasonActive: 0,
    calMean: new Array<number>(COMPONENTS.length).fill(0),
    calDev: new Array<number>(COMPONENTS.length).fill(0),
    hi: 0,
    lo: 0,
    envelope: 0,
    sinceAlarm: NEVER,
    calm: 0,
  };
}

function isNumberArray(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number' && Number.isFinite(item));
}

/** True when `value` is a state of a detector with this configuration (same shapes, finite numbers). */
export function isDetectorState(value: unknown, config: AnomalyDetectorConfig): value is DetectorState {
  if (typeof value !== 'object' || value === null) return false;
  const template = emptyState(config) as unknown as Record<string, unknown>;
  const candidate = value as Record<string, unknown>;
  return Object.entries(template).every(([key, expected]) => {
    const actual = candidate[key];
    if (Array.isArray(expected)) return isNumberArray(actual, expected.length);
    return typeof actual === 'number' && Number.isFinite(actual) && (key !== 'version' || actual === expected);
  });
}
