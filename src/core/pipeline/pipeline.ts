/**
 * The ingest pipeline: decode → validate → dedupe → resolve → persist → publish. Every entry point (HTTP,
 * connectors, dead-letter replay) goes through here, so the rules of what is accepted live in one place.
 */
import type { Crosswalk } from '../crosswalk.js';
import { describeError, isPlantfabricError, UnavailableError } from '../errors.js';
import type { CanonicalEvent, Sample } from '../event.js';
import type { EventBus } from '../event-bus.js';
import type { IngestOptions, IngestOutcome, IngestRejection, Ingestor, SampleIngestOutcome } from '../ingest.js';
import type { MetricsRegistry } from '../metrics.js';
import type { PlantModel } from '../plant-model.js';
import type { AppendResult, DeadLetterStore, EventLog, Historian, Unsubscribe } from '../store.js';
import { decodeJson } from './decode.js';
import { dedupeBatch, RecentIds } from './dedupe.js';
import { GroupCommitter } from './group-commit.js';
import { OPERATION_COMPLETED, OPERATION_STARTED, RunningOperations } from './enrich.js';
import { DEFAULT_UNKNOWN_ID_POLICIES, resolveEquipment, resolveEvent, type ResolveContext, type UnknownIdPolicies } from './resolve.js';
import type { StageRejection } from './stage.js';
import { validateEvent, validateSample } from './validate.js';

export interface IngestPipelineDeps {
  events: EventLog;
  historian: Historian;
  deadLetters: DeadLetterStore;
  bus: EventBus;
  plant: PlantModel;
  crosswalk: Crosswalk;
  policies?: Partial<UnknownIdPolicies>;
  metrics?: MetricsRegistry;
  batch?: { maxBatch?: number; maxDelayMs?: number };
  /** Wall clock for receivedAt; injectable for tests and deterministic replays. */
  now?: () => number;
}

export type SampleListener = (samples: readonly Sample[]) => void;

export interface IngestPipeline extends Ingestor {
  /** Commits everything queued; call before closing the stores. */
  drain(): Promise<void>;
  /** Tells `listener` of every sample batch once it is in the historian (the bus carries events only). */
  onSamples(listener: SampleListener): Unsubscribe;
  /** Relearns from the log which work order runs on which machine; call once before ingesting. */
  restore(): Promise<void>;
  /** What runs where now, as the enrich stage knows it. */
  readonly running: RunningOperations;
}

interface Failed {
  index: number;
  rejection: StageRejection;
  raw: Uint8Array;
}

const encoder = new TextEncoder();
const JSON_TYPE = 'application/json';

/** Builds the pipeline over the given stores and bus. */
export function createIngestPipeline(deps: IngestPipelineDeps): IngestPipeline {
  const now = deps.now ?? Date.now;
  const recent = new RecentIds();
  const sampleListeners = new Set<SampleListener>();
  const running = new RunningOperations();
  const committer = new GroupCommitter(deps.events, {
    maxBatch: deps.batch?.maxBatch ?? 10_000,
    maxDelayMs: deps.batch?.maxDelayMs ?? 0,
  });
  const resolveContext: ResolveContext = {
    plant: deps.plant,
    crosswalk: deps.crosswalk,
    policies: { ...DEFAULT_UNKNOWN_ID_POLICIES, ...deps.policies },
    materials: new Set((deps.plant.config.materials ?? []).map((material) => material.id)),
  };
  const count = (name: string, help: string, amount: number, labels: Record<string, string>): void => {
    if (amount > 0) deps.metrics?.inc(name, help, amount, labels);
  };

  async function persistAndPublish(events: readonly CanonicalEvent[]): Promise<AppendResult> {
    let result: AppendResult;
    try {
      result = await committer.append(events);
    } catch (error) {
      if (isPlantfabricError(error) && error.code !== 'PF_ERR_STORE_UNAVAILABLE') throw error;
      // Nothing was acknowledged, so the producer still holds the events and can retry: 503, not a dead letter.
      throw new UnavailableError('PF_ERR_INGEST_UNAVAILABLE', `events could not be stored: ${describeError(error)}`, { cause: error });
    }
    await deps.bus.publish(result.appended);
    return result;
  }

  async function deadLetter(failures: readonly Failed[], options: IngestOptions): Promise<IngestRejection[]> {
    const rejections: IngestRejection[] = [];
    for (const failure of failures) {
      const { rejection } = failure;
      let deadLetterId: string;
      if (options.replayOf !== undefined) {
        await deps.deadLetters.recordAttempt(options.replayOf, { ok: false, code: rejection.code, message: rejection.message });
        deadLetterId = options.replayOf;
      } else {
        const entry = await deps.deadLetters.add({
          stage: rejection.stage,
          code: rejection.code,
          message: rejection.message,
          raw: failure.raw,
          contentType: options.contentType ?? JSON_TYPE,
          source: options.source ?? {},
          details: rejection.details,
        });
        deadLetterId = entry.id;
      }
      count('pf_dead_letters_total', 'Inputs dead-lettered, by stage.', 1, { stage: rejection.stage });
      rejections.push({ index: failure.index, code: rejection.code, message: rejection.message, deadLetterId, details: rejection.details });
    }
    return rejections;
  }

  async function ingestItems(value: unknown, options: IngestOptions, wholeRaw: Uint8Array | undefined): Promise<IngestOutcome> {
    const items = Array.isArray(value) ? value : [value];
    // A lone event keeps its exact original bytes as evidence; batch items are stored one by one so each replays alone.
    const rawOf = (item: unknown): Uint8Array =>
      !Array.isArray(value) && wholeRaw !== undefined ? wholeRaw : encoder.encode(JSON.stringify(item));
    const receivedAt = new Date(now()).toISOString();
    const events: CanonicalEvent[] = [];
    const failures: Failed[] = [];
    items.forEach((item, index) => {
      const validated = validateEvent(item, receivedAt);
      if (!validated.ok) {
        failures.push({ index, rejection: validated.rejection, raw: rawOf(item) });
        return;
      }
      const resolved = resolveEvent(validated.value, resolveContext);
      if (!resolved.ok) failures.push({ index, rejection: resolved.rejection, raw: rawOf(item) });
      else events.push(running.apply(resolved.value));
    });

    options.authorize?.(events);

    const { unique, duplicates } = dedupeBatch(events, recent);
    const written = await persistAndPublish(unique);
    recent.remember(written.appended.map((event) => event.id));
    const allDuplicates = [...duplicates, ...written.duplicates];
    const rejected = await deadLetter(failures, options);

    count('pf_ingest_events_total', 'Events submitted to ingest, by result.', written.appended.length, { result: 'accepted' });
    count('pf_ingest_events_total', 'Events submitted to ingest, by result.', allDuplicates.length, { result: 'duplicate' });
    count('pf_ingest_events_total', 'Events submitted to ingest, by result.', rejected.length, { result: 'rejected' });
    if (options.replayOf !== undefined && rejected.length === 0) {
      await deps.deadLetters.recordAttempt(options.replayOf, { ok: true });
    }
    return { accepted: written.appended, duplicates: allDuplicates, rejected };
  }

  return {
    async ingestRaw(raw, options = {}) {
      const decoded = decodeJson(raw);
      if (!decoded.ok) {
        const rejected = await deadLetter([{ index: -1, rejection: decoded.rejection, raw }], options);
        count('pf_ingest_events_total', 'Events submitted to ingest, by result.', 1, { result: 'rejected' });
        return { accepted: [], duplicates: [], rejected };
      }
      return ingestItems(decoded.value, options, raw);
    },

    async ingestValue(value, options = {}) {
      return ingestItems(value, options, undefined);
    },

    async ingestSamples(value, options = {}): Promise<SampleIngestOutcome> {
      const items = Array.isArray(value) ? value : [value];
      const system = options.source?.system ?? 'plantfabric';
      const samples: Sample[] = [];
      const failures: Failed[] = [];
      items.forEach((item, index) => {
        const validated = validateSample(item);
        const resolved = validated.ok ? resolveEquipment(validated.value.equipment, system, validated.value.ts, resolveContext) : validated;
        if (!resolved.ok) failures.push({ index, rejection: resolved.rejection, raw: encoder.encode(JSON.stringify(item)) });
        else if (validated.ok) samples.push(resolved.value === validated.value.equipment ? validated.value : { ...validated.value, equipment: resolved.value });
      });
      let outcome: { written: number; duplicates: number };
      try {
        outcome = await deps.historian.write(samples);
      } catch (error) {
        throw new UnavailableError('PF_ERR_INGEST_UNAVAILABLE', `samples could not be stored: ${describeError(error)}`, { cause: error });
      }
      if (samples.length > 0) {
        for (const listener of sampleListeners) {
          try {
            listener(samples);
          } catch (error) {
            // A listener is a consumer's problem; the samples are stored and the producer is answered regardless.
            console.error(`sample listener failed: ${describeError(error)}`);
          }
        }
      }
      const rejected = await deadLetter(failures, options);
      count('pf_ingest_samples_total', 'Samples submitted to ingest, by result.', outcome.written, { result: 'accepted' });
      count('pf_ingest_samples_total', 'Samples submitted to ingest, by result.', outcome.duplicates, { result: 'duplicate' });
      count('pf_ingest_samples_total', 'Samples submitted to ingest, by result.', rejected.length, { result: 'rejected' });
      return { ...outcome, rejected };
    },

    async appendDerived(events) {
      // Derived events name their own subject: filling in the order running at append time would make an engine's
      // output depend on when it was appended, and a replay could not reproduce it. Operation events still teach the
      // enrich stage what runs where (a replay feeds recorded events through here).
      for (const event of events) if (event.type === OPERATION_STARTED || event.type === OPERATION_COMPLETED) running.observe(event);
      const result = await persistAndPublish(events);
      count('pf_ingest_events_total', 'Events submitted to ingest, by result.', result.appended.length, { result: 'derived' });
      return result;
    },

    drain: () => committer.drain(),

    running,

    async restore() {
      const PAGE = 5_000;
      let after = 0;
      for (;;) {
        const page = await deps.events.query({ types: [OPERATION_STARTED, OPERATION_COMPLETED], afterPosition: after, limit: PAGE });
        for (const event of page) running.observe(event);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.position;
      }
    },

    onSamples(listener) {
      sampleListeners.add(listener);
      return () => sampleListeners.delete(listener);
    },
  };
}
