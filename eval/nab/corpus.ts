/**
 * Reads the Numenta Anomaly Benchmark as shipped in `../shared/data/nab` (relative to the project root): the 58 data
 * files, their label windows, the scoring profiles, and the published thresholds, scores and per-row outputs that the
 * scorer is checked against. Nothing here knows about any detector.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Weights of one NAB application profile (`config/profiles.json`). */
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
  tnWeight: number;
}

/** The three profiles NAB reports, in the order it prints them. */
export const PROFILE_NAMES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** One data file: its rows and the label windows (start and end timestamps, both inclusive). */
export interface NabFile {
  /** Path relative to `data/`, e.g. `realKnownCause/nyc_taxi.csv`; NAB names windows and results by it. */
  path: string;
  /** Timestamps as written in the file (`YYYY-MM-DD HH:MM:SS`). */
  timestamps: readonly string[];
  /** The same instants as epoch milliseconds (read as UTC), for detectors. */
  times: Float64Array;
  values: Float64Array;
  windows: ReadonlyArray<readonly [string, string]>;
}

export interface NabCorpus {
  root: string;
  /** Sorted by path, so every run visits the files in the same order. */
  files: readonly NabFile[];
  profiles: Record<ProfileName, CostMatrix>;
}

/** The project root: two folders above this file (eval/nab/). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Where the benchmark is expected: `../shared/data/nab` beside the checkout. */
export function nabRoot(): string {
  return resolve(projectRoot(), '..', 'shared', 'data', 'nab');
}

/** True when the shared NAB copy is present (tests skip with a message when it is not). */
export function nabAvailable(root: string = nabRoot()): boolean {
  return existsSync(join(root, 'labels', 'combined_windows.json')) && existsSync(join(root, 'data'));
}

/** NAB's label files write `2014-04-10 07:15:00.000000`; the data files write the same instant without fractions. */
export function normaliseTimestamp(text: string): string {
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  return dot === -1 ? trimmed : trimmed.slice(0, dot);
}

/** Epoch milliseconds of a NAB timestamp, read as UTC so that time of day is the file's own clock. */
export function timestampToMs(text: string): number {
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms)) throw new Error(`unreadable NAB timestamp '${text}'`);
  return ms;
}

/** Splits a two-column CSV with a header into its columns (NAB files hold no quoted cells). */
export function parseTwoColumnCsv(text: string, source: string): { first: string[]; second: Float64Array } {
  const lines = text.split(/\r?\n/);
  const first: string[] = [];
  const numbers: number[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.length === 0) continue;
    const comma = line.indexOf(',');
    if (comma === -1) throw new Error(`${source}:${index + 1}: expected two columns`);
    const value = Number(line.slice(comma + 1));
    if (!Number.isFinite(value)) throw new Error(`${source}:${index + 1}: '${line.slice(comma + 1)}' is not a number`);
    first.push(line.slice(0, comma));
    numbers.push(value);
  }
  return { first, second: Float64Array.from(numbers) };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

function asProfiles(raw: unknown): Record<ProfileName, CostMatrix> {
  const profiles = {} as Record<ProfileName, CostMatrix>;
  for (const name of PROFILE_NAMES) {
    const entry = (raw as Record<string, { CostMatrix?: CostMatrix } | undefined>)[name];
    if (entry?.CostMatrix === undefined) throw new Error(`config/profiles.json has no profile '${name}'`);
    profiles[name] = entry.CostMatrix;
  }
  return profiles;
}

/** Loads every data file named in `labels/combined_windows.json` with its windows. */
export async function loadCorpus(root: string = nabRoot()): Promise<NabCorpus> {
  const windowsByPath = (await readJson(join(root, 'labels', 'combined_windows.json'))) as Record<string, string[][]>;
  const paths = Object.keys(windowsByPath).sort();
  const files = await Promise.all(
    paths.map(async (path): Promise<NabFile> => {
      const { first, second } = parseTwoColumnCsv(await readFile(join(root, 'data', path), 'utf8'), path);
      const timestamps = first.map(normaliseTimestamp);
      const windows = (windowsByPath[path] ?? []).map((limits) => [normaliseTimestamp(limits[0]!), normaliseTimestamp(limits[1]!)] as const);
      return { path, timestamps, times: Float64Array.from(timestamps, timestampToMs), values: second, windows };
    }),
  );
  const profiles = asProfiles(await readJson(join(root, 'config', 'profiles.json')));
  return { root, files, profiles };
}

/**
 * Loads a detector's recorded per-row scores, `results/<detector>/<category>/<detector>_<file>.csv`, keyed by the data
 * file's path.
 */
export async function loadRecordedScores(root: string, detector: string, corpus: NabCorpus): Promise<Map<string, Float64Array>> {
  const scores = new Map<string, Float64Array>();
  await Promise.all(
    corpus.files.map(async (file) => {
      const [category, name] = file.path.split('/') as [string, string];
      const source = join(root, 'results', detector, category, `${detector}_${name}`);
      const { second } = parseTwoColumnCsv(await readFile(source, 'utf8'), source);
      if (second.length !== file.values.length) throw new Error(`${source}: ${second.length} rows, the data file has ${file.values.length}`);
      scores.set(file.path, second);
    }),
  );
  return scores;
}

/** One row of a published `<detector>_<profile>_scores.csv` table. */
export interface PublishedScoreRow {
  file: string;
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

/** Reads a published per-file score table; the `Totals` row comes back under the file name `Totals`. */
export async function loadPublishedScores(root: string, detector: string, profile: ProfileName): Promise<PublishedScoreRow[]> {
  const text = await readFile(join(root, 'results', detector, `${detector}_${profile}_scores.csv`), 'utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => {
      const cells = line.split(',');
      const isTotals = cells[0] === 'Totals';
      return {
        file: isTotals ? 'Totals' : cells[2]!,
        threshold: isTotals ? Number.NaN : Number(cells[3]),
        score: Number(cells[4]),
        tp: Number(cells[5]),
        tn: Number(cells[6]),
        fp: Number(cells[7]),
        fn: Number(cells[8]),
        total: Number(cells[9]),
      };
    });
}

/** `config/thresholds.json`: detector → profile → { threshold, score }. */
export async function loadPublishedThresholds(root: string): Promise<Record<string, Record<ProfileName, { threshold: number; score: number }>>> {
  return (await readJson(join(root, 'config', 'thresholds.json'))) as Record<string, Record<ProfileName, { threshold: number; score: number }>>;
}

/** `results/final_results.json`: detector → profile → normalised score. */
export async function loadPublishedFinalResults(root: string): Promise<Record<string, Record<ProfileName, number>>> {
  return (await readJson(join(root, 'results', 'final_results.json'))) as Record<string, Record<ProfileName, number>>;
}

/** Lists the detectors that have recorded outputs or score tables under `results/`. */
export async function listResultDetectors(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'results'), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
