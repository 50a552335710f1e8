import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCorpus, loadPublishedFinalResults, loadPublishedScores, loadPublishedThresholds, loadRecordedScores, nabAvailable, nabRoot, PROFILE_NAMES, type CostMatrix, type NabCorpus, type NabFile } from './corpus.js';
import { nullDetectorScore } from './optimizer.js';
import { normaliseScore, perfectScore, scoreCorpus, scoreFile } from './scorer.js';
import { probationaryLength, scaledSigmoid } from './sweeper.js';

const unit: CostMatrix = { tpWeight: 1, fpWeight: 1, fnWeight: 1, tnWeight: 1 };

/** A constructed file of `length` five-minute rows with windows given by row index. */
function constructedFile(length: number, windows: Array<[number, number]>): NabFile {
  const timestamps = Array.from({ length }, (_, index) => new Date(Date.UTC(2020, 0, 1) + index * 300_000).toISOString().slice(0, 19).replace('T', ' '));
  return {
    path: 'constructed/file.csv',
    timestamps,
    times: new Float64Array(length),
    values: new Float64Array(length),
    windows: windows.map(([start, end]) => [timestamps[start]!, timestamps[end]!] as const),
  };
}

function detectionsAt(length: number, rows: number[]): Float64Array {
  const scores = new Float64Array(length);
  for (const row of rows) scores[row] = 1;
  return scores;
}

describe('NAB scoring primitives', () => {
  it('scales the sigmoid as NAB documents it', () => {
    assert.ok(Math.abs(scaledSigmoid(-1) - 0.98661) < 1e-5);
    assert.ok(Math.abs(scaledSigmoid(-0.5) - 0.84828) < 1e-5);
    assert.equal(scaledSigmoid(0), 0);
    assert.ok(Math.abs(scaledSigmoid(1) + 0.98661) < 1e-5);
    assert.equal(scaledSigmoid(3.5), -1);
  });
  it('sets the probationary period to 15% of the rows, at most 750', () => {
    assert.equal(probationaryLength(1000), 150);
    assert.equal(probationaryLength(1001), 150);
    assert.equal(probationaryLength(22_000), 750);
  });
  it('gives a detection at the left edge of a window the full tpWeight and counts only the first one', () => {
    const file = constructedFile(1000, [[500, 599]]);
    const once = scoreFile(file, detectionsAt(1000, [500]), unit, 0.5);
    const twice = scoreFile(file, detectionsAt(1000, [500, 550]), unit, 0.5);
    assert.ok(Math.abs(once.score - 1) < 1e-12);
    assert.equal(twice.score, once.score);
    assert.equal(twice.tp, 2);
  });
  it('scores a later detection in the window lower, and a missed window as -fnWeight', () => {
    const file = constructedFile(1000, [[500, 599]]);
    const late = scoreFile(file, detectionsAt(1000, [590]), unit, 0.5);
    assert.ok(late.score > 0 && late.score < 0.5);
    const missed = scoreFile(file, detectionsAt(1000, []), { ...unit, fnWeight: 2 }, 0.5);
    assert.equal(missed.score, -2);
    assert.equal(missed.fn, 100);
  });
  it('charges a false positive before any window the full fpWeight and one just after a window less', () => {
    const file = constructedFile(1000, [[500, 599]]);
    const early = scoreFile(file, detectionsAt(1000, [300]), { ...unit, fpWeight: 0.11 }, 0.5);
    assert.ok(Math.abs(early.score - (-1 - 0.11)) < 1e-12);
    const justAfter = scoreFile(file, detectionsAt(1000, [605]), { ...unit, fpWeight: 0.11 }, 0.5);
    assert.ok(justAfter.score > -1 - 0.11 && justAfter.score < -1);
  });
  it('ignores detections inside the probationary period', () => {
    const file = constructedFile(1000, [[500, 599]]);
    const result = scoreFile(file, detectionsAt(1000, [10, 100]), unit, 0.5);
    assert.equal(result.score, -1);
    assert.equal(result.total, 850);
  });
});

const skip = nabAvailable() ? false : `the NAB copy is absent (${nabRoot()} — ../shared/data/nab beside the checkout)`;

describe('NAB scorer against the published results', { skip }, () => {
  let corpus: NabCorpus;
  let numenta: Map<string, Float64Array>;
  before(async () => {
    corpus = await loadCorpus();
    numenta = await loadRecordedScores(corpus.root, 'numenta', corpus);
  });

  for (const profile of PROFILE_NAMES) {
    it(`reproduces every per-file numenta score on the ${profile} profile`, async () => {
      const thresholds = await loadPublishedThresholds(corpus.root);
      const published = await loadPublishedScores(corpus.root, 'numenta', profile);
      const ours = scoreCorpus(corpus, numenta, corpus.profiles[profile], thresholds.numenta![profile].threshold);
      const byFile = new Map(ours.files.map((row) => [row.file, row]));
      assert.equal(published.length - 1, corpus.files.length);
      for (const row of published) {
        const mine = row.file === 'Totals' ? ours.totals : byFile.get(row.file);
        assert.ok(mine !== undefined, `no score for ${row.file}`);
        assert.ok(Math.abs(mine.score - row.score) < 1e-6, `${row.file}: ${mine.score} != ${row.score}`);
        assert.deepEqual([mine.tp, mine.tn, mine.fp, mine.fn, mine.total], [row.tp, row.tn, row.fp, row.fn, row.total], row.file);
      }
    });

    it(`reproduces the null detector's table on the ${profile} profile`, async () => {
      const thresholds = await loadPublishedThresholds(corpus.root);
      const published = await loadPublishedScores(corpus.root, 'null', profile);
      const constant = new Map(corpus.files.map((file) => [file.path, new Float64Array(file.values.length).fill(0.5)] as const));
      const ours = scoreCorpus(corpus, constant, corpus.profiles[profile], thresholds.null![profile].threshold);
      const byFile = new Map(ours.files.map((row) => [row.file, row]));
      for (const row of published) {
        const mine = row.file === 'Totals' ? ours.totals : byFile.get(row.file);
        assert.ok(mine !== undefined, `no score for ${row.file}`);
        assert.ok(Math.abs(mine.score - row.score) < 1e-9, `${row.file}: ${mine.score} != ${row.score}`);
        assert.deepEqual([mine.tp, mine.tn, mine.fp, mine.fn, mine.total], [row.tp, row.tn, row.fp, row.fn, row.total], row.file);
      }
    });
  }

  it('normalises numenta to the published 70.10 / 63.12 / 74.32', async () => {
    const thresholds = await loadPublishedThresholds(corpus.root);
    const finals = await loadPublishedFinalResults(corpus.root);
    const expected = { standard: 70.1, reward_low_FP_rate: 63.12, reward_low_FN_rate: 74.32 };
    for (const profile of PROFILE_NAMES) {
      const cost = corpus.profiles[profile];
      const raw = scoreCorpus(corpus, numenta, cost, thresholds.numenta![profile].threshold).totals.score;
      const normalised = normaliseScore(raw, nullDetectorScore(corpus, cost), perfectScore(corpus, cost));
      assert.ok(Math.abs(normalised - expected[profile]) < 0.01, `${profile}: ${normalised}`);
      assert.ok(Math.abs(normalised - finals.numenta![profile]) < 1e-9, `${profile}: ${normalised} != ${finals.numenta![profile]}`);
    }
  });
});
