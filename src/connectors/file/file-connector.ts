/**
 * The file connector: watches a drop folder, reads each CSV file once it has settled, hands its rows to the sink in
 * batches and only then moves it to done/ with a report; a file that cannot be read at all goes to failed/ with its
 * report. While the sink refuses (store away), files stay where they are and are retried with the shared backoff, so
 * nothing is lost; re-reading a file is harmless because event ids derive from content and the historian keeps one
 * value per signal and millisecond.
 */
import { RetryTimer } from '../../core/backoff.js';
import type { FSWatcher } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Connector, ConnectorContext } from '../../core/connector.js';
import { describeError, InputError } from '../../core/errors.js';
import { HealthTracker } from '../../core/health.js';
import type { FileConfig } from './config.js';
import { configProblems, createFileMapper, type FileMapping } from './mapping.js';
import { ensureFolder, freeName, listCandidates, moveFile, patternMatcher, SettleTracker, watchFolder, writeReport, type FileCandidate } from './transport.js';

/** Items per sink call: large enough to commit efficiently, small enough to keep one commit short. */
const BATCH = 1000;
/** Watch events come in bursts while a file is written; one scan shortly after is enough. */
const CHANGE_DELAY_MS = 25;
const encoder = new TextEncoder();

/** What `<name>.report.json` beside a handled file says. */
export interface FileReport {
  file: string;
  status: 'done' | 'failed';
  /** The name in done/ or failed/ (the original, or with a time added when that name was taken). */
  movedTo: string;
  processedAt: string;
  bytes: number;
  rowsRead?: number;
  events?: number;
  samples?: number;
  /** Rows mapped to nothing on purpose: an empty value cell, an unchanged state, a deadband. */
  skipped?: number;
  /** Rows no row mapping's `when` selected. */
  unmatched?: number;
  rejected?: Array<{ line: number; reason: string }>;
  error?: { code: string; message: string };
}

type Outcome = { target: 'done' | 'failed'; report: Omit<FileReport, 'movedTo'> };

/** The operation's result, or undefined when the file was moved away meanwhile (by a user, another consumer). */
async function unlessGone<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function createFileConnector(config: FileConfig, context: ConnectorContext): Connector {
  const problems = configProblems(config);
  if (problems.length > 0) throw new InputError('PF_ERR_CONFIG_INVALID', `connector ${context.id}: ${problems.join('; ')}`);
  const folder = resolve(config.folder);
  const doneFolder = resolve(config.doneFolder ?? join(folder, 'done'));
  const failedFolder = resolve(config.failedFolder ?? join(folder, 'failed'));
  const health = new HealthTracker(context.now);
  const openRetry = new RetryTimer(context.backoff({ initialMs: 500, maxMs: 30_000 }));
  const retryBackoff = context.backoff({ initialMs: 500, maxMs: 60_000 });
  const mapFile = createFileMapper(config, { system: context.system, connector: context.id });
  const matches = patternMatcher(config.pattern);
  const settle = new SettleTracker(config.settleMs);
  /** Files whose output the sink accepted but which could not be moved yet: only the move is retried. */
  const handed = new Map<string, { size: number; mtimeMs: number; outcome: Outcome }>();
  const stats = { filesProcessed: 0, filesFailed: 0, rowsRejected: 0 };
  let stopped = true;
  let watcher: FSWatcher | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let scanDueAt = 0;
  let scanning: Promise<void> | undefined;
  let rescan = false;
  /** After a failed hand-over no file is tried before this time (the store is likely away for all of them). */
  let retryAt = 0;

  health.setDetails({ folder, pattern: config.pattern, ...stats });

  async function open(): Promise<void> {
    if (stopped) return;
    health.set('connecting');
    try {
      await ensureFolder(folder);
      await mkdir(doneFolder, { recursive: true });
      await mkdir(failedFolder, { recursive: true });
    } catch (error) {
      if (stopped) return;
      health.set('disconnected', { message: `${folder}: ${describeError(error)}` });
      scheduleOpen();
      return;
    }
    if (stopped) return;
    watcher = watchFolder(folder, () => scheduleScan(CHANGE_DELAY_MS), (error) => {
      // The periodic scan carries on without events; a folder that is gone shows up there.
      context.log.warn(`watching ${folder} failed, scanning every ${config.scanIntervalMs} ms instead: ${describeError(error)}`);
      closeWatcher();
      scheduleScan(0);
    });
    health.set('connected');
    health.setDetails({ watching: watcher === undefined ? 'scan only' : 'events and scan' });
    scheduleScan(0);
  }

  function scheduleOpen(): void {
    if (!stopped) openRetry.schedule(() => void open());
  }

  function closeWatcher(): void {
    watcher?.close();
    watcher = undefined;
  }

  function lostFolder(error: unknown): void {
    closeWatcher();
    if (stopped) return;
    health.set('disconnected', { message: `${folder}: ${describeError(error)}` });
    scheduleOpen();
  }

  /** One timer for the next scan; an earlier request replaces a later one. */
  function scheduleScan(delayMs: number): void {
    if (stopped || health.state === 'disconnected') return;
    const dueAt = context.now() + delayMs;
    if (scanTimer !== undefined && scanDueAt <= dueAt) return;
    clearTimeout(scanTimer);
    scanDueAt = dueAt;
    scanTimer = setTimeout(() => {
      scanTimer = undefined;
      runScan();
    }, delayMs);
  }

  function runScan(): void {
    if (scanning !== undefined) {
      rescan = true;
      return;
    }
    scanning = scan()
      .catch(lostFolder)
      .finally(() => {
        scanning = undefined;
        if (rescan) {
          rescan = false;
          scheduleScan(0);
        }
      });
  }

  async function scan(): Promise<void> {
    const candidates = await listCandidates(folder, matches);
    // Reset only once the folder can be listed, so a folder that opens but cannot be read is still retried politely.
    openRetry.succeeded();
    const { ready, nextCheckAt } = settle.observe(candidates, context.now());
    health.setDetails({ waiting: candidates.length });
    for (const file of ready) {
      if (stopped || context.now() < retryAt) break;
      await handle(file);
    }
    const now = context.now();
    let next = config.scanIntervalMs;
    if (nextCheckAt !== undefined) next = Math.min(next, nextCheckAt - now);
    if (retryAt > now) next = Math.min(next, retryAt - now);
    scheduleScan(Math.max(0, next));
  }

  /** Reads, maps, hands over and moves one settled file; any failure leaves the file in place for a later retry. */
  async function handle(file: FileCandidate): Promise<void> {
    try {
      let outcome = handed.get(file.name);
      if (outcome === undefined || outcome.size !== file.size || outcome.mtimeMs !== file.mtimeMs) {
        handed.delete(file.name);
        const produced = await ingest(file);
        if (produced === undefined) return;
        outcome = { size: file.size, mtimeMs: file.mtimeMs, outcome: produced };
        handed.set(file.name, outcome);
      }
      await finish(file, outcome.outcome);
      handed.delete(file.name);
      settle.forget(file.name);
      retryBackoff.reset();
      retryAt = 0;
      if (health.state === 'degraded') health.set('connected');
    } catch (error) {
      if (stopped) return;
      const delay = retryBackoff.next() ?? 60_000;
      retryAt = context.now() + delay;
      context.log.error(`${file.name} stays in ${folder}, retry in ${delay} ms: ${describeError(error)}`);
      if (health.state === 'connected' || health.state === 'degraded') health.set('degraded', { message: `${file.name}: ${describeError(error)}` });
    }
  }

  /** Hands the file's output to the sink; undefined when the file changed or vanished since it settled. */
  async function ingest(file: FileCandidate): Promise<Outcome | undefined> {
    const processedAt = new Date(context.now()).toISOString();
    if (file.size > config.maxFileBytes) {
      const reason = `${file.size} bytes is more than maxFileBytes (${config.maxFileBytes}); not read`;
      const details = { file: file.name, bytes: file.size };
      await context.sink.deadLetter(new Uint8Array(0), { code: 'PF_ERR_INGEST_DECODE', message: `${file.name}: ${reason}`, address: file.name, details });
      return { target: 'failed', report: { file: file.name, status: 'failed', processedAt, bytes: file.size, error: { code: 'PF_ERR_INGEST_DECODE', message: reason } } };
    }
    const bytes = await unlessGone(readFile(file.path));
    const after = bytes === undefined ? undefined : await unlessGone(stat(file.path));
    // Written to again after it looked settled: leave it to settle afresh rather than read a mix.
    if (bytes === undefined || after === undefined || bytes.length !== file.size || after.size !== file.size || after.mtimeMs !== file.mtimeMs) return undefined;
    const mapping: FileMapping = mapFile(bytes);
    if (!mapping.ok) {
      const message = `${file.name}: ${mapping.message}`;
      const contentType = mapping.code === 'PF_ERR_INGEST_DECODE' ? 'application/octet-stream' : 'text/csv';
      await context.sink.deadLetter(bytes, { code: mapping.code, message, address: file.name, contentType, details: { file: file.name } });
      return { target: 'failed', report: { file: file.name, status: 'failed', processedAt, bytes: bytes.length, error: { code: mapping.code, message: mapping.message } } };
    }
    for (let start = 0; start < mapping.samples.length; start += BATCH) await context.sink.samples(mapping.samples.slice(start, start + BATCH));
    for (let start = 0; start < mapping.events.length; start += BATCH) await context.sink.events(mapping.events.slice(start, start + BATCH));
    for (const row of mapping.rejected) {
      const address = `${file.name}:${row.line}`;
      await context.sink.deadLetter(encoder.encode(row.raw), {
        code: 'PF_ERR_INGEST_SCHEMA',
        message: `${address}: ${row.reason}`,
        address,
        contentType: 'text/csv; charset=utf-8',
        details: { file: file.name, line: row.line },
      });
    }
    const { rowsRead, events, samples, skipped, unmatched, rejected } = mapping;
    return {
      target: 'done',
      report: {
        file: file.name,
        status: 'done',
        processedAt,
        bytes: bytes.length,
        rowsRead,
        events: events.length,
        samples: samples.length,
        skipped,
        unmatched,
        rejected: rejected.map(({ line, reason }) => ({ line, reason })),
      },
    };
  }

  /** Moves the file to done/ or failed/, then writes its report beside it. */
  async function finish(file: FileCandidate, outcome: Outcome): Promise<void> {
    const target = outcome.target === 'done' ? doneFolder : failedFolder;
    const name = await freeName(target, file.name, context.now());
    await moveFile(file.path, join(target, name));
    if (outcome.target === 'done') stats.filesProcessed += 1;
    else stats.filesFailed += 1;
    stats.rowsRejected += outcome.report.rejected?.length ?? 0;
    health.setDetails({ ...stats, lastFile: { name: file.name, status: outcome.target, at: outcome.report.processedAt } });
    try {
      await writeReport(target, name, { ...outcome.report, movedTo: name } satisfies FileReport);
    } catch (error) {
      // The data is in and the file moved; a missing report must not make us read the file again.
      context.log.error(`could not write the report for ${name} in ${target}: ${describeError(error)}`);
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      // Not awaited: a missing folder (a share not mounted yet) must not hold up the plant's start.
      void open();
    },

    async stop() {
      stopped = true;
      openRetry.cancel();
      clearTimeout(scanTimer);
      scanTimer = undefined;
      closeWatcher();
      await scanning;
      if (health.state !== 'stopped') health.set('stopped');
    },

    health: () => health.get(),
  };
}
