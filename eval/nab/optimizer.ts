/**
 * NAB's threshold optimiser (numenta/NAB, nab/optimizer.py since v1.0): the sweep rows of every file are pooled and
 * the one threshold with the highest corpus score is taken. One threshold per profile for the whole corpus; it never
 * varies by file.
 */
import type { CostMatrix, NabCorpus } from './corpus.js';
import { calcScoreByThreshold, calcSweepScore, concatSweepRows, type ThresholdScore } from './sweeper.js';

/** Every candidate threshold with its corpus score, highest threshold first. */
export function corpusScoresByThreshold(corpus: NabCorpus, scores: ReadonlyMap<string, ArrayLike<number>>, cost: CostMatrix): ThresholdScore[] {
  const parts = corpus.files.map((file) => {
    const fileScores = scores.get(file.path);
    if (fileScores === undefined) throw new Error(`no anomaly scores for ${file.path}`);
    return calcSweepScore(file.timestamps, fileScores, file.windows, cost);
  });
  return calcScoreByThreshold(concatSweepRows(parts), cost);
}

/**
 * The best threshold over the corpus. Ties go to the higher threshold, as NAB's stable descending sort of the
 * threshold list does.
 */
export function optimizeThreshold(corpus: NabCorpus, scores: ReadonlyMap<string, ArrayLike<number>>, cost: CostMatrix): ThresholdScore {
  const candidates = corpusScoresByThreshold(corpus, scores, cost);
  let best = candidates[0]!;
  for (const candidate of candidates) if (candidate.score > best.score) best = candidate;
  return best;
}

/**
 * The null detector's corpus score for a profile: a constant output, optimised like any other. NAB normalises
 * against it (0 = null, 100 = perfect).
 */
export function nullDetectorScore(corpus: NabCorpus, cost: CostMatrix): number {
  const constant = new Map(corpus.files.map((file) => [file.path, new Float64Array(file.values.length).fill(0.5)] as const));
  return optimizeThreshold(corpus, constant, cost).score;
}

/** Per-file threshold tables, so the corpus score at any threshold is a sum of 58 look-ups. */
export function fileScoresByThreshold(corpus: NabCorpus, scores: ReadonlyMap<string, ArrayLike<number>>, cost: CostMatrix): ThresholdScore[][] {
  return corpus.files.map((file) => {
    const fileScores = scores.get(file.path);
    if (fileScores === undefined) throw new Error(`no anomaly scores for ${file.path}`);
    return calcScoreByThreshold(calcSweepScore(file.timestamps, fileScores, file.windows, cost), cost);
  });
}

/** The corpus score at one threshold (NAB's `objectiveFunction`): -Infinity outside [0, 1], else the files' sum. */
export function corpusScoreAt(tables: readonly ThresholdScore[][], threshold: number): number {
  if (!(threshold >= 0 && threshold <= 1)) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const table of tables) sum += rowAt(table, threshold).score;
  return sum;
}

/** `pickThresholdRow` by binary search: tables are sorted by falling threshold. */
function rowAt(table: readonly ThresholdScore[], threshold: number): ThresholdScore {
  // The last row whose threshold is >= the wanted one holds exactly the rows scoring >= it.
  let low = 0;
  let high = table.length - 1;
  if (table[0]!.threshold < threshold) return table[0]!;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (table[middle]!.threshold >= threshold) low = middle;
    else high = middle - 1;
  }
  return table[low]!;
}

/**
 * NAB's first optimiser (`twiddle` in nab/optimizer.py before the sweeper replaced it): a hill climb on the threshold
 * from 0.5 with a step that doubles on success and halves on failure, down to 1e-7. The published thresholds of the
 * older detectors (numenta among them) were found by it; it can stop at a local optimum, so our own runs use
 * `optimizeThreshold`. Returns the best threshold it evaluated (the first such, in evaluation order).
 */
export function twiddleThreshold(tables: readonly ThresholdScore[][], initialGuess = 0.5, tolerance = 0.0000001): { threshold: number; score: number } {
  const pastCalls = new Map<number, number>();
  const objective = (x: number): number => {
    const known = pastCalls.get(x);
    if (known !== undefined) return known;
    const score = corpusScoreAt(tables, x);
    pastCalls.set(x, score);
    return score;
  };
  let x = initialGuess;
  let delta = 0.1;
  let bestScore = objective(x);
  while (delta > tolerance) {
    x += delta;
    if (objective(x) > bestScore) {
      bestScore = objective(x);
      delta *= 2;
    } else {
      x -= 2 * delta;
      if (objective(x) > bestScore) {
        bestScore = objective(x);
        delta *= 2;
      } else {
        x += delta;
        delta *= 0.5;
      }
    }
  }
  let best: { threshold: number; score: number } | undefined;
  for (const [threshold, score] of pastCalls) if (best === undefined || score > best.score) best = { threshold, score };
  return best!;
}
