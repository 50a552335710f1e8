/**
 * NAB's scoring step (numenta/NAB, nab/scorer.py and runner.normalize): each file is scored at one threshold per
 * profile through the sweeper, the totals are summed over the corpus, and the sum is normalised so that the null
 * detector scores 0 and a perfect detector 100.
 */
import type { CostMatrix, NabCorpus, NabFile } from './corpus.js';
import { calcScoreByThreshold, calcSweepScore, pickThresholdRow, type ThresholdScore } from './sweeper.js';

/** One file's score at a threshold, as a row of NAB's `<detector>_<profile>_scores.csv`. */
export interface FileScore extends ThresholdScore {
  file: string;
}

export interface CorpusScore {
  threshold: number;
  files: FileScore[];
  /** The `Totals` row: score and counts summed over the files. */
  totals: Omit<ThresholdScore, 'threshold'>;
}

/** Scores one file at a threshold (`Sweeper.scoreDataSet`). */
export function scoreFile(file: NabFile, anomalyScores: ArrayLike<number>, cost: CostMatrix, threshold: number): FileScore {
  const rows = calcSweepScore(file.timestamps, anomalyScores, file.windows, cost);
  return { file: file.path, ...pickThresholdRow(calcScoreByThreshold(rows, cost), threshold) };
}

/** Scores every file of the corpus at one threshold (`scorer.scoreCorpus`) and adds the totals row. */
export function scoreCorpus(corpus: NabCorpus, scores: ReadonlyMap<string, ArrayLike<number>>, cost: CostMatrix, threshold: number): CorpusScore {
  const files = corpus.files.map((file) => {
    const fileScores = scores.get(file.path);
    if (fileScores === undefined) throw new Error(`no anomaly scores for ${file.path}`);
    return { ...scoreFile(file, fileScores, cost, threshold), threshold };
  });
  const totals = { score: 0, tp: 0, tn: 0, fp: 0, fn: 0, total: 0 };
  for (const row of files) {
    totals.score += row.score;
    totals.tp += row.tp;
    totals.tn += row.tn;
    totals.fp += row.fp;
    totals.fn += row.fn;
    totals.total += row.total;
  }
  return { threshold, files, totals };
}

/** Number of label windows in the corpus: a perfect detector earns tpWeight for each. */
export function windowCount(corpus: NabCorpus): number {
  return corpus.files.reduce((sum, file) => sum + file.windows.length, 0);
}

/** The perfect detector's raw score for a profile (`runner.normalize`: tpCount * tpWeight). */
export function perfectScore(corpus: NabCorpus, cost: CostMatrix): number {
  return windowCount(corpus) * cost.tpWeight;
}

/** NAB's normalisation: 100 * (score - null) / (perfect - null). */
export function normaliseScore(raw: number, nullScore: number, perfect: number): number {
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
