/**
 * NAB's sweeper (numenta/NAB, nab/sweeper.py), reproduced step for step: every row gets the score it would earn if it
 * were a detection (a scaled sigmoid of its place in or after a label window), and one pass over the rows sorted by
 * anomaly score gives the total score for every possible threshold. Scoring a file at one threshold and optimising
 * the threshold over the whole corpus are both read off that pass, exactly as NAB does it.
 */
import type { CostMatrix } from './corpus.js';

/** NAB ignores the first 15% of every file (capped at 750 rows) while the detector learns. */
export const PROBATION_PERCENT = 0.15;

/** Window id of a row outside every window. */
export const OUTSIDE_WINDOW = -1;
/** Window id of a row inside the probationary period; such rows are not scored at all. */
export const PROBATIONARY = -2;

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * NAB's scaled sigmoid of a relative position: -1 (left edge of a window) gives 0.98661, 0 (right edge) gives 0, and
 * positions after a window fall towards -1, which is returned outright past 3 window lengths.
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePosition) - 1.0;
}

/** Rows at the start of a file that are not scored: min(floor(15% of rows), 15% of 5000). */
export function probationaryLength(rows: number, probationPercent: number = PROBATION_PERCENT): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/** Every row of one or more files with its anomaly score, its score as a detection, and its window. */
export interface SweepRows {
  anomalyScores: Float64Array;
  sweepScores: Float64Array;
  /** A window id (unique across everything concatenated), OUTSIDE_WINDOW or PROBATIONARY. */
  windowIds: Int32Array;
  /** Number of window ids used, so concatenated files can number theirs after these. */
  windowCount: number;
}

/** The totals at one threshold: a row scores as a detection when its anomaly score is >= threshold. */
export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

/**
 * `Sweeper.calcSweepScore`: the detection score of every row of one file. Windows are entered when a row's timestamp
 * equals a window's start and left after the row equal to its end, as NAB does.
 * @param firstWindowId id given to this file's first window (ids must be unique across a corpus).
 */
export function calcSweepScore(
  timestamps: readonly string[],
  anomalyScores: ArrayLike<number>,
  windowLimits: ReadonlyArray<readonly [string, string]>,
  cost: CostMatrix,
  firstWindowId = 0,
  probationPercent: number = PROBATION_PERCENT,
): SweepRows {
  if (timestamps.length !== anomalyScores.length) throw new Error('timestamps and anomalyScores should not be different lengths');
  const rows = timestamps.length;
  const firstIndex = new Map<string, number>();
  for (let index = 0; index < rows; index++) if (!firstIndex.has(timestamps[index]!)) firstIndex.set(timestamps[index]!, index);

  const sweepScores = new Float64Array(rows);
  const windowIds = new Int32Array(rows);
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(rows, probationPercent);
  let nextWindow = 0;
  let current: readonly [string, string] | undefined;
  let currentId = OUTSIDE_WINDOW;
  let currentWidth = 0;
  let currentRight = 0;
  let previousWidth = 0;
  let previousRight: number | undefined;

  for (let i = 0; i < rows; i++) {
    const time = timestamps[i]!;
    const upcoming = windowLimits[nextWindow];
    if (upcoming !== undefined && time === upcoming[0]) {
      current = upcoming;
      currentId = firstWindowId + nextWindow;
      nextWindow++;
      const right = firstIndex.get(current[1]);
      const left = firstIndex.get(current[0]);
      if (right === undefined || left === undefined) throw new Error(`window ${current[0]} .. ${current[1]} is not on the file's timestamps`);
      currentRight = right;
      currentWidth = right - left + 1;
    }
    let weighted: number;
    if (current !== undefined) {
      const positionInWindow = -(currentRight - i + 1) / currentWidth;
      weighted = (scaledSigmoid(positionInWindow) * cost.tpWeight) / maxTP;
    } else {
      const unweighted = previousRight === undefined ? -1.0 : scaledSigmoid(Math.abs(previousRight - i) / (previousWidth - 1));
      weighted = unweighted * cost.fpWeight;
    }
    sweepScores[i] = weighted;
    windowIds[i] = i >= probation ? (current !== undefined ? currentId : OUTSIDE_WINDOW) : PROBATIONARY;
    if (current !== undefined && time === current[1]) {
      previousRight = i;
      previousWidth = currentWidth;
      current = undefined;
      currentId = OUTSIDE_WINDOW;
    }
  }
  return { anomalyScores: Float64Array.from(anomalyScores), sweepScores, windowIds, windowCount: windowLimits.length };
}

/** Joins the sweep rows of several files, renumbering windows so that every window stays distinct. */
export function concatSweepRows(parts: readonly SweepRows[]): SweepRows {
  const length = parts.reduce((sum, part) => sum + part.anomalyScores.length, 0);
  const anomalyScores = new Float64Array(length);
  const sweepScores = new Float64Array(length);
  const windowIds = new Int32Array(length);
  let offset = 0;
  let windowOffset = 0;
  for (const part of parts) {
    anomalyScores.set(part.anomalyScores, offset);
    sweepScores.set(part.sweepScores, offset);
    for (let i = 0; i < part.windowIds.length; i++) {
      const id = part.windowIds[i]!;
      windowIds[offset + i] = id >= 0 ? id + windowOffset : id;
    }
    offset += part.anomalyScores.length;
    windowOffset += part.windowCount;
  }
  return { anomalyScores, sweepScores, windowIds, windowCount: windowOffset };
}

/**
 * `Sweeper.calcScoreByThreshold`: walks the scored rows from the highest anomaly score down and records, at each new
 * score, the total for "detect every row scoring at least this". A window counts its best (earliest) detection once;
 * a missed window costs fnWeight; every false positive adds its own (negative) sweep score. The first entry, at 1.1,
 * is "detect nothing".
 */
export function calcScoreByThreshold(rows: SweepRows, cost: CostMatrix): ThresholdScore[] {
  const scorable: number[] = [];
  for (let i = 0; i < rows.windowIds.length; i++) if (rows.windowIds[i] !== PROBATIONARY) scorable.push(i);
  const scores = rows.anomalyScores;
  // Array.prototype.sort is stable, like Python's sorted(): ties keep file order, so sums add up in NAB's order.
  scorable.sort((a, b) => scores[b]! - scores[a]!);

  // Python sums a dict: "fp" first, then each window in the order it first appears in the sorted list.
  const windowParts = new Float64Array(rows.windowCount);
  const windowOrder: number[] = [];
  const seen = new Uint8Array(rows.windowCount);
  let tn = 0;
  let fn = 0;
  for (const i of scorable) {
    const id = rows.windowIds[i]!;
    if (id === OUTSIDE_WINDOW) {
      tn++;
      continue;
    }
    fn++;
    if (seen[id] === 0) {
      seen[id] = 1;
      windowOrder.push(id);
      windowParts[id] = -cost.fnWeight;
    }
  }
  let tp = 0;
  let fp = 0;
  let fpPart = 0;
  const total = (): number => {
    let sum = 0 + fpPart;
    for (const id of windowOrder) sum += windowParts[id]!;
    return sum;
  };

  const result: ThresholdScore[] = [];
  let threshold = 1.1;
  for (const i of scorable) {
    const score = scores[i]!;
    if (score !== threshold) {
      result.push({ threshold, score: total(), tp, tn, fp, fn, total: tp + tn + fp + fn });
      threshold = score;
    }
    const id = rows.windowIds[i]!;
    if (id === OUTSIDE_WINDOW) {
      fp++;
      tn--;
      fpPart += rows.sweepScores[i]!;
    } else {
      tp++;
      fn--;
      windowParts[id] = Math.max(windowParts[id]!, rows.sweepScores[i]!);
    }
  }
  result.push({ threshold, score: total(), tp, tn, fp, fn, total: tp + tn + fp + fn });
  return result;
}

/**
 * `Sweeper.scoreDataSet`'s choice of row: the entry whose threshold equals `threshold`, or else the last one above it
 * (the same detections, since no row scores in between).
 */
export function pickThresholdRow(byThreshold: readonly ThresholdScore[], threshold: number): ThresholdScore {
  let previous: ThresholdScore | undefined;
  for (const row of byThreshold) {
    if (row.threshold === threshold) return row;
    if (row.threshold < threshold) return previous ?? row;
    previous = row;
  }
  // Every row scores at or above the threshold: all are detections, which is the last entry.
  return byThreshold[byThreshold.length - 1]!;
}
