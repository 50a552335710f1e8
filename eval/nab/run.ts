/**
 * `npm run eval:nab`: runs the product's anomaly detector (src/engines/anomaly, default configuration, one detector
 * per file, rows in order, labels never consulted) over the whole Numenta Anomaly Benchmark, optimises one threshold
 * per profile over the corpus, and prints the three normalised scores beside the published scoreboard.
 *
 * Options: --out DIR (default ./eval-results/nab) for per-file outputs and score tables; --config JSON to try
 * overrides of the detector's configuration (the reported result is the defaults'); --quiet for no per-file lines.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDetector } from '../../src/engines/anomaly/detector.js';
import { loadCorpus, loadPublishedFinalResults, nabAvailable, nabRoot, PROFILE_NAMES, type NabCorpus, type ProfileName } from './corpus.js';
import { nullDetectorScore, optimizeThreshold } from './optimizer.js';
import { normaliseScore, perfectScore, scoreCorpus, type CorpusScore } from './scorer.js';

interface ProfileResult {
  profile: ProfileName;
  threshold: number;
  raw: number;
  normalised: number;
  table: CorpusScore;
}

/** Runs the detector over every file, in order, each with a fresh detector. */
function detectCorpus(corpus: NabCorpus, config: unknown, quiet: boolean): { scores: Map<string, Float64Array>; seconds: number } {
  const scores = new Map<string, Float64Array>();
  let detectSeconds = 0;
  corpus.files.forEach((file, index) => {
    const detector = createDetector(config);
    const out = new Float64Array(file.values.length);
    const started = performance.now();
    for (let row = 0; row < out.length; row++) out[row] = detector.update(file.times[row]!, file.values[row]!).score;
    const seconds = (performance.now() - started) / 1000;
    detectSeconds += seconds;
    scores.set(file.path, out);
    if (!quiet) console.log(`[${String(index + 1).padStart(2)}/${corpus.files.length}] ${file.path.padEnd(58)} ${String(out.length).padStart(6)} rows  ${(seconds * 1000).toFixed(0).padStart(5)} ms`);
  });
  return { scores, seconds: detectSeconds };
}

function scoreProfiles(corpus: NabCorpus, scores: Map<string, Float64Array>): ProfileResult[] {
  return PROFILE_NAMES.map((profile) => {
    const cost = corpus.profiles[profile];
    const best = optimizeThreshold(corpus, scores, cost);
    const table = scoreCorpus(corpus, scores, cost, best.threshold);
    const normalised = normaliseScore(table.totals.score, nullDetectorScore(corpus, cost), perfectScore(corpus, cost));
    return { profile, threshold: best.threshold, raw: table.totals.score, normalised, table };
  });
}

function printScoreboard(results: readonly ProfileResult[], published: Record<string, Record<ProfileName, number>>): void {
  const rows: Array<[string, number, number, number]> = [['plantfabric (this run)', results[0]!.normalised, results[1]!.normalised, results[2]!.normalised]];
  for (const [detector, scores] of Object.entries(published)) rows.push([detector, scores.standard, scores.reward_low_FP_rate, scores.reward_low_FN_rate]);
  rows.sort((a, b) => b[1] - a[1]);
  console.log(`\n${'detector'.padEnd(24)} ${'standard'.padStart(9)} ${'low FP'.padStart(9)} ${'low FN'.padStart(9)}`);
  for (const [name, standard, lowFP, lowFN] of rows) {
    const marker = name.startsWith('plantfabric') ? '  <' : '';
    console.log(`${name.padEnd(24)} ${standard.toFixed(2).padStart(9)} ${lowFP.toFixed(2).padStart(9)} ${lowFN.toFixed(2).padStart(9)}${marker}`);
  }
}

async function writeResults(out: string, corpus: NabCorpus, scores: Map<string, Float64Array>, results: readonly ProfileResult[]): Promise<void> {
  for (const file of corpus.files) {
    const target = join(out, 'plantfabric', `${file.path.replace(/\/([^/]+)$/, '/plantfabric_$1')}`);
    await mkdir(resolve(target, '..'), { recursive: true });
    const fileScores = scores.get(file.path)!;
    const lines = ['timestamp,value,anomaly_score'];
    for (let row = 0; row < fileScores.length; row++) lines.push(`${file.timestamps[row]},${file.values[row]},${fileScores[row]}`);
    await writeFile(target, `${lines.join('\n')}\n`);
  }
  for (const result of results) {
    const lines = ['Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count'];
    for (const row of result.table.files) lines.push(['plantfabric', result.profile, row.file, result.threshold, row.score, row.tp, row.tn, row.fp, row.fn, row.total].join(','));
    const t = result.table.totals;
    lines.push(['Totals', '', '', '', t.score, t.tp, t.tn, t.fp, t.fn, t.total].join(','));
    await writeFile(join(out, 'plantfabric', `plantfabric_${result.profile}_scores.csv`), `${lines.join('\n')}\n`);
  }
  const summary = Object.fromEntries(results.map((r) => [r.profile, { normalised: r.normalised, raw: r.raw, threshold: r.threshold }]));
  await writeFile(join(out, 'final_results.json'), `${JSON.stringify({ plantfabric: summary }, null, 2)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: './eval-results/nab' },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const root = nabRoot();
  if (!nabAvailable(root)) {
    console.error(`The Numenta Anomaly Benchmark is not at ${root}.\nIt is expected as ../shared/data/nab beside the project (see ../shared/data/README.md).`);
    process.exit(2);
  }
  const config: unknown = values.config === undefined ? {} : JSON.parse(values.config);
  const started = performance.now();
  const corpus = await loadCorpus(root);
  const rows = corpus.files.reduce((sum, file) => sum + file.values.length, 0);
  console.log(`NAB: ${corpus.files.length} files, ${rows} rows, ${corpus.files.reduce((sum, f) => sum + f.windows.length, 0)} label windows`);
  const { scores, seconds } = detectCorpus(corpus, config, values.quiet);
  console.log(`detector: ${rows} samples in ${seconds.toFixed(2)} s (${(rows / seconds / 1000).toFixed(0)}k samples/s)`);
  const results = scoreProfiles(corpus, scores);
  for (const r of results) {
    const t = r.table.totals;
    console.log(`${r.profile.padEnd(20)} threshold ${r.threshold.toFixed(6)}  raw ${r.raw.toFixed(3).padStart(9)}  normalised ${r.normalised.toFixed(2).padStart(6)}  (TP ${t.tp}, FP ${t.fp}, FN ${t.fn})`);
  }
  printScoreboard(results, await loadPublishedFinalResults(root));
  const out = resolve(values.out);
  await writeResults(out, corpus, scores, results);
  console.log(`\nper-file results in ${out} (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
}

await main();
