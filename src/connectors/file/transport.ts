/**
 * The drop folder: which files are there and ready, and moving them out once handled. `fs.watch` says quickly that
 * something changed; a periodic scan is the fallback because fs.watch misses events on some file systems (network
 * shares, some containers) and can fail outright (inotify limits). A file counts as ready only once its size and
 * modification time have stayed the same for `settleMs`, so a file still being written is never read half-way.
 */
import { watch, type FSWatcher } from 'node:fs';
import { access, copyFile, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface FileCandidate {
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** Names writers use while a file is incomplete: `*.tmp`, `*.part`, `~*` (office lock files) and hidden `.*`. */
export function isTemporaryName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('.') || lower.startsWith('~') || lower.endsWith('.tmp') || lower.endsWith('.part');
}

/** A case-insensitive matcher for a glob-ish name pattern: `*` any run of characters, `?` one character. */
export function patternMatcher(pattern: string): (name: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, 'i');
  return (name) => regex.test(name);
}

/**
 * Tracks when each file last changed (size or modification time) and says which have been still for `settleMs`.
 * Pure: the caller passes the time.
 */
export class SettleTracker {
  readonly #settleMs: number;
  readonly #seen = new Map<string, { size: number; mtimeMs: number; stillSince: number }>();

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
  }

  /** Records a scan; returns the files ready now and when the next one may become ready. */
  observe(candidates: readonly FileCandidate[], now: number): { ready: FileCandidate[]; nextCheckAt: number | undefined } {
    const names = new Set(candidates.map((candidate) => candidate.name));
    for (const name of this.#seen.keys()) if (!names.has(name)) this.#seen.delete(name);
    const ready: FileCandidate[] = [];
    let nextCheckAt: number | undefined;
    for (const candidate of candidates) {
      let entry = this.#seen.get(candidate.name);
      if (entry === undefined || entry.size !== candidate.size || entry.mtimeMs !== candidate.mtimeMs) {
        entry = { size: candidate.size, mtimeMs: candidate.mtimeMs, stillSince: now };
        this.#seen.set(candidate.name, entry);
      }
      const readyAt = entry.stillSince + this.#settleMs;
      if (readyAt <= now) ready.push(candidate);
      else nextCheckAt = Math.min(nextCheckAt ?? readyAt, readyAt);
    }
    return { ready, nextCheckAt };
  }

  /** Forgets a handled file, so one dropped again under the same name settles afresh. */
  forget(name: string): void {
    this.#seen.delete(name);
  }
}

/**
 * Makes sure the watched folder exists: creates it when only the folder itself is missing (a fresh install), but not
 * a missing parent, which usually means a share that is not mounted; that is reported and retried instead.
 */
export async function ensureFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${folder} does not exist, nor its parent ${dirname(folder)}`, { cause: error });
    if (code !== 'EEXIST') throw error;
    if (!(await stat(folder)).isDirectory()) throw new Error(`${folder} is not a folder`, { cause: error });
  }
}

/** The files in `folder` whose names match, temporary names left out, sorted by name. */
export async function listCandidates(folder: string, matches: (name: string) => boolean): Promise<FileCandidate[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const candidates: FileCandidate[] = [];
  for (const entry of entries) {
    if (!(entry.isFile() || entry.isSymbolicLink()) || isTemporaryName(entry.name) || !matches(entry.name)) continue;
    const path = join(folder, entry.name);
    try {
      const info = await stat(path);
      if (info.isFile()) candidates.push({ name: entry.name, path, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      // Moved away between listing and stat (another consumer, a user): simply no longer a candidate.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // Oldest export first is usually name order (dates in names); it also makes runs reproducible.
  return candidates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Starts watching; events only prompt a scan. Undefined when the platform refuses (the scan still runs). */
export function watchFolder(folder: string, onChange: () => void, onError: (error: Error) => void): FSWatcher | undefined {
  try {
    const watcher = watch(folder, { persistent: true }, () => onChange());
    watcher.on('error', onError);
    return watcher;
  } catch (error) {
    onError(error as Error);
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A name free in `folder`: `name` itself, or with the time added (`shift.20260105T060000123Z.csv`) when taken. */
export async function freeName(folder: string, name: string, now: number): Promise<string> {
  if (!(await exists(join(folder, name))) && !(await exists(join(folder, `${name}.report.json`)))) return name;
  const extension = extname(name);
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  for (let attempt = 0; ; attempt += 1) {
    const candidate = `${basename(name, extension)}.${stamp}${attempt === 0 ? '' : `-${attempt}`}${extension}`;
    if (!(await exists(join(folder, candidate)))) return candidate;
  }
}

/** Writes the report for `name` in `folder`, through a temporary name so a reader never sees half a report. */
export async function writeReport(folder: string, name: string, report: unknown): Promise<void> {
  const target = join(folder, `${name}.report.json`);
  const temporary = join(folder, `.${name}.report.json.tmp`);
  await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
  await rename(temporary, target);
}

/** Moves a file; across file systems (a done folder on another disk) it copies and then removes. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}
