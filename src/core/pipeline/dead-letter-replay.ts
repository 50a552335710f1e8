/**
 * Re-runs dead letters through the pipeline after the cause is fixed (a crosswalk entry learnt, a mapping corrected).
 * The dead letter keeps its history: a success marks it replayed, a failure records the new reason on it.
 */
import { NotFoundError } from '../errors.js';
import type { Ingestor } from '../ingest.js';
import type { DeadLetter, DeadLetterStore } from '../store.js';

/** Stages whose input was raw producer data, and so can be fed to ingest again. */
const REPLAYABLE_STAGES = new Set<DeadLetter['stage']>(['decode', 'validate', 'dedupe', 'resolve', 'persist']);

export interface ReplayOutcome {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
  accepted?: number;
  duplicates?: number;
}

export class DeadLetterReplayer {
  readonly #deadLetters: DeadLetterStore;
  readonly #ingestor: Ingestor;

  constructor(deadLetters: DeadLetterStore, ingestor: Ingestor) {
    this.#deadLetters = deadLetters;
    this.#ingestor = ingestor;
  }

  /**
   * Replays one dead letter.
   * @throws PF_ERR_DEADLETTER_NOT_FOUND
   */
  async replay(id: string): Promise<ReplayOutcome> {
    const entry = await this.#deadLetters.get(id);
    if (entry === undefined) throw new NotFoundError('PF_ERR_DEADLETTER_NOT_FOUND', `no dead letter with id ${id}`);
    return this.#replayEntry(entry);
  }

  /** Replays every open dead letter, oldest first, optionally of one stage. */
  async replayOpen(filter: { stage?: DeadLetter['stage'] } = {}, onProgress?: (outcome: ReplayOutcome) => void): Promise<ReplayOutcome[]> {
    const outcomes: ReplayOutcome[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await this.#deadLetters.list({ status: 'open', ...filter, limit: 500, ...(afterId === undefined ? {} : { afterId }) });
      if (page.length === 0) break;
      for (const entry of page) {
        const outcome = await this.#replayEntry(entry);
        outcomes.push(outcome);
        onProgress?.(outcome);
      }
      afterId = page[page.length - 1]!.id;
    }
    return outcomes;
  }

  async #replayEntry(entry: DeadLetter): Promise<ReplayOutcome> {
    if (entry.status !== 'open') {
      return { id: entry.id, ok: false, code: 'PF_ERR_CONFLICT', message: `dead letter is already ${entry.status}` };
    }
    if (!REPLAYABLE_STAGES.has(entry.stage)) {
      return { id: entry.id, ok: false, code: entry.code, message: `dead letters of stage '${entry.stage}' are not replayed through ingest` };
    }
    const outcome = await this.#ingestor.ingestRaw(entry.raw, { source: entry.source, contentType: entry.contentType, replayOf: entry.id });
    const failure = outcome.rejected[0];
    if (failure !== undefined) return { id: entry.id, ok: false, code: failure.code, message: failure.message };
    return { id: entry.id, ok: true, accepted: outcome.accepted.length, duplicates: outcome.duplicates.length };
  }
}
