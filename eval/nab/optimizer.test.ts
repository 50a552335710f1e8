import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCorpus, loadPublishedScores, loadPublishedThresholds, loadRecordedScores, nabAvailable, nabRoot, PROFILE_NAMES, type NabCorpus } from './corpus.js';
import { corpusScoreAt, fileScoresByThreshold, nullDetectorScore, optimizeThreshold, twiddleThreshold } from './optimizer.js';

const skip = nabAvailable() ? false : `the NAB copy is absent (${nabRoot()} — ../shared/data/nab beside the checkout)`;

/** True when no recorded score lies between two thresholds, so both give exactly the same detections. */
function sameDetections(scores: Map<string, Float64Array>, a: number, b: number): boolean {
  const [low, high] = a < b ? [a, b] : [b, a];
  for (const fileScores of scores.values()) for (const score of fileScores) if (score >= low && score < high) return false;
  return true;
}

describe('NAB threshold optimiser', { skip }, () => {
  let corpus: NabCorpus;
  let numenta: Map<string, Float64Array>;
  before(async () => {
    corpus = await loadCorpus();
    numenta = await loadRecordedScores(corpus.root, 'numenta', corpus);
  });

  it('finds the published numenta thresholds with NAB’s hill climb, to within its step', async () => {
    const published = await loadPublishedThresholds(corpus.root);
    for (const profile of PROFILE_NAMES) {
      const target = published.numenta![profile];
      const found = twiddleThreshold(fileScoresByThreshold(corpus, numenta, corpus.profiles[profile]));
      assert.ok(Math.abs(found.threshold - target.threshold) < 1e-6, `${profile}: ${found.threshold} vs ${target.threshold}`);
      assert.ok(sameDetections(numenta, found.threshold, target.threshold), `${profile}: a score lies between ${found.threshold} and ${target.threshold}`);
      assert.ok(Math.abs(found.score - target.score) < 1e-9, `${profile}: ${found.score} vs ${target.score}`);
    }
  });

  it('sweeps to the same detections on the standard and low-FN profiles, and never to a worse score', async () => {
    const published = await loadPublishedThresholds(corpus.root);
    for (const profile of PROFILE_NAMES) {
      const target = published.numenta![profile];
      const best = optimizeThreshold(corpus, numenta, corpus.profiles[profile]);
      assert.ok(best.score >= target.score - 1e-9, `${profile}: ${best.score} < ${target.score}`);
      if (profile !== 'reward_low_FP_rate') assert.ok(sameDetections(numenta, best.threshold, target.threshold), `${profile}: ${best.threshold} vs ${target.threshold}`);
      const tables = fileScoresByThreshold(corpus, numenta, corpus.profiles[profile]);
      assert.ok(Math.abs(corpusScoreAt(tables, best.threshold) - best.score) < 1e-9, 'the pooled sweep and the per-file sum agree');
    }
  });

  it('gives the null detector the published baselines', async () => {
    for (const profile of PROFILE_NAMES) {
      const totals = (await loadPublishedScores(corpus.root, 'null', profile)).find((row) => row.file === 'Totals');
      assert.equal(nullDetectorScore(corpus, corpus.profiles[profile]), totals?.score);
    }
  });
});
