/**
 * Replay / shadow mode: runs engines and routing rules over recorded history in a scratch copy of the layer, never
 * touching the live data or its cases, and reports what would have been raised — so a rule or model change can be
 * judged before it goes live. The recorded events (not Plantfabric's own derived ones) are fed in their log order,
 * samples in time order alongside, on a manual plant clock that follows the events, so hold-for durations, SLA
 * deadlines and shift ends fall due as they did live.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ManualClock } from '../core/clock.js';
import type { CanonicalEvent, Sample, StoredEvent } from '../core/event.js';
import type { EngineRegistration } from '../core/engine-host.js';
import type { SampleEngineRegistration } from '../core/sample-engine-host.js';
import type { Stores } from '../core/store.js';
import { canonicalJson } from '../core/pipeline/event-id.js';
import { openSqliteStores } from '../store/sqlite/index.js';
import { createCore, DATABASE_FILE, DEFAULT_DATA_DIR, type Core } from './create-runtime.js';
import { defaultEngines, defaultSampleEngines } from './engines.js';
import { loadPlantConfigFile } from './plant-config-file.js';

export interface ReplayOptions {
  /** plant.yaml of the recorded run (it names the data folder). */
  liveConfigFile: string;
  /** Overrides the recorded run's data folder. */
  liveDataDir?: string;
  /** The configuration to judge; default the recorded run's own. */
  shadowConfigFile?: string;
  /** Epoch ms: the window whose outcome is reported. */
  from: number;
  to: number;
  /** History fed before `from` so engines and open conditions start from where they were. Default 24 h. */
  warmupMs?: number;
  /** Engine ids to run (oee, location, spc, anomaly, maintenance, ...); default every engine of the build. */
  engines?: readonly string[];
  /** Run routing rules into cases. Default true. */
  routing?: boolean;
  onProgress?: (line: string) => void;
}

export interface WouldBeCase {
  rule: string;
  kind: string;
  title: string;
  severity: string;
  equipment?: string;
  workOrder?: string;
  openedAt: string;
  signals: number;
}

export interface ReplayReport {
  from: string;
  to: string;
  engines: string[];
  fed: { events: number; samples: number };
  /** Derived events of the selected engines inside the window, in log order of the replay. */
  derived: StoredEvent[];
  /** Cases the routing rules would have opened inside the window. */
  cases: WouldBeCase[];
  /** The replay's engine output against what the recorded run emitted, event by event (id and content). */
  comparison: { same: number; onlyReplay: number; onlyLive: number; examples: { onlyReplay: string[]; onlyLive: string[] } };
}

const PAGE = 5_000;
const SAMPLE_SLICE_MS = 10 * 60_000;

/** What an engine emitted, as comparable text: everything but the log position. */
function comparable(event: StoredEvent): string {
  const { position: _position, ...rest } = event;
  return canonicalJson(rest);
}

async function liveDerived(stores: Stores, engines: ReadonlySet<string>, from: number, to: number): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await stores.events.query({ from, to, afterPosition: after, limit: PAGE });
    for (const event of page) if (event.source.system === 'plantfabric' && engines.has(event.source.connector ?? '')) found.push(event);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.position;
  }
  return found;
}

/** Runs the replay and reports; the live data is opened read-only and the scratch copy is removed afterwards. */
export async function runReplay(options: ReplayOptions): Promise<ReplayReport> {
  const progress = options.onProgress ?? (() => undefined);
  const { config: liveConfig } = await loadPlantConfigFile(options.liveConfigFile);
  const liveDir = resolve(options.liveDataDir ?? liveConfig.store?.dataDir ?? DEFAULT_DATA_DIR);
  const live = openSqliteStores({ file: join(liveDir, DATABASE_FILE), readonly: true });
  const scratch = mkdtempSync(join(tmpdir(), 'plantfabric-replay-'));
  const start = options.from - (options.warmupMs ?? 86_400_000);
  const clock = new ManualClock(start);
  let shadow: Core | undefined;
  try {
    const shadowFile = options.shadowConfigFile ?? options.liveConfigFile;
    const { config, model } = await loadPlantConfigFile(shadowFile);
    const wanted = (id: string): boolean => options.engines === undefined || options.engines.includes(id);
    const engines: EngineRegistration[] = defaultEngines(config, model).filter((registration) => wanted(registration.definition.id));
    const sampleEngines: SampleEngineRegistration[] = defaultSampleEngines(config, model).filter((registration) => wanted(registration.definition.id));
    const engineIds = [...engines.map((entry) => entry.definition.id), ...sampleEngines.map((entry) => entry.definition.id)];
    progress(`replaying ${new Date(start).toISOString()} → ${new Date(options.to).toISOString()} (report from ${new Date(options.from).toISOString()}) with ${engineIds.join(', ') || 'no engines'}${options.routing === false ? '' : ' and routing'}`);
    shadow = await createCore({ configFile: shadowFile, dataDir: scratch, clock, engines, sampleEngines });
    const core = shadow;
    await core.engines.start();
    await core.sampleEngines.start();
    if (options.routing !== false) await core.cases.start();

    // Samples of the series the sample engines follow, fed in time order as the events' time passes them.
    const series = (await live.historian.series()).filter((entry) => sampleEngines.some((registration) => registration.definition.accepts(entry, registration.config)));
    let sampleCursor = start;
    let samplesFed = 0;
    const feedSamplesUntil = async (time: number): Promise<void> => {
      while (sampleCursor < Math.min(time, options.to)) {
        const sliceEnd = Math.min(sampleCursor + SAMPLE_SLICE_MS, time, options.to);
        const slice: Sample[] = [];
        for (const entry of series) {
          const points = await live.historian.range({ equipment: entry.equipment, signal: entry.signal, from: sampleCursor, to: sliceEnd });
          for (const point of points) slice.push({ equipment: entry.equipment, signal: entry.signal, ts: point.ts, value: point.value, quality: point.quality });
        }
        slice.sort((a, b) => a.ts - b.ts);
        if (slice.length > 0) await core.pipeline.ingestSamples(slice);
        samplesFed += slice.length;
        sampleCursor = sliceEnd;
      }
    };

    // The recorded events in their log order; Plantfabric's own derived events are made again, not copied.
    let eventsFed = 0;
    let after = 0;
    let latest = start;
    for (;;) {
      const page = await live.events.query({ from: start, to: options.to, afterPosition: after, limit: PAGE });
      const source: CanonicalEvent[] = page.filter((event) => event.source.system !== 'plantfabric').map(({ position: _position, ...event }) => event);
      for (let index = 0; index < source.length; index += 500) {
        const batch = source.slice(index, index + 500);
        const batchLatest = Math.max(latest, ...batch.map((event) => Date.parse(event.occurredAt)));
        await feedSamplesUntil(batchLatest);
        await core.pipeline.appendDerived(batch);
        latest = batchLatest;
        clock.advanceTo(latest);
        await core.engines.waitForIdle();
        await core.sampleEngines.idle();
        if (options.routing !== false) await core.cases.idle();
        eventsFed += batch.length;
      }
      if (page.length > 0) progress(`  ${eventsFed} events, ${samplesFed} samples fed (plant time ${new Date(latest).toISOString()})`);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.position;
    }
    await feedSamplesUntil(options.to);
    clock.advanceTo(options.to);
    await core.engines.waitForIdle();
    await core.sampleEngines.idle();
    if (options.routing !== false) await core.cases.idle();

    const ids = new Set(engineIds);
    const derived = (await liveDerived(core.stores, ids, options.from, options.to)).sort((a, b) => a.position - b.position);
    const recorded = await liveDerived(live, ids, options.from, options.to);
    const replayed = new Set(derived.map(comparable));
    const liveSet = new Set(recorded.map(comparable));
    const onlyReplay = [...replayed].filter((line) => !liveSet.has(line));
    const onlyLive = [...liveSet].filter((line) => !replayed.has(line));
    const caseRows = options.routing === false ? [] : await core.stores.operations.findCases<{ rule: string; title: string; severity: string; equipment?: string; workOrder?: string; events: { count: number } }>({ openedFrom: options.from, openedTo: options.to, limit: 10_000 });
    return {
      from: new Date(options.from).toISOString(),
      to: new Date(options.to).toISOString(),
      engines: engineIds,
      fed: { events: eventsFed, samples: samplesFed },
      derived,
      cases: caseRows
        .map((row) => ({
          rule: row.doc.rule,
          kind: row.kind,
          title: row.doc.title,
          severity: row.doc.severity,
          ...(row.doc.equipment === undefined ? {} : { equipment: row.doc.equipment }),
          ...(row.doc.workOrder === undefined ? {} : { workOrder: row.doc.workOrder }),
          openedAt: new Date(row.openedAt).toISOString(),
          signals: row.doc.events.count,
        }))
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt)),
      comparison: {
        same: [...replayed].filter((line) => liveSet.has(line)).length,
        onlyReplay: onlyReplay.length,
        onlyLive: onlyLive.length,
        examples: { onlyReplay: onlyReplay.slice(0, 3), onlyLive: onlyLive.slice(0, 3) },
      },
    };
  } finally {
    await shadow?.close();
    await live.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
