/**
 * Stage 5, persist: group commit. Concurrent submissions are gathered into one transaction (thousands of rows per
 * commit is what makes SQLite and PostgreSQL fast, see PERF-NOTES), and each caller's promise resolves only once its
 * own events are durable, so an acknowledgement always means "on disk".
 */
import type { CanonicalEvent, StoredEvent } from '../event.js';
import type { AppendResult, EventLog } from '../store.js';

interface Pending {
  events: readonly CanonicalEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most events in one transaction; a larger submission is split into several. */
  maxBatch: number;
  /** Longest wait for more submissions before committing; 0 commits on the next turn of the event loop. */
  maxDelayMs: number;
}

export class GroupCommitter {
  readonly #log: EventLog;
  readonly #options: GroupCommitOptions;
  #queue: Pending[] = [];
  #queuedEvents = 0;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #flushing: Promise<void> | undefined;

  constructor(log: EventLog, options: GroupCommitOptions) {
    this.#log = log;
    this.#options = options;
  }

  /** Resolves once every given event is durable (or reported as already stored). */
  append(events: readonly CanonicalEvent[]): Promise<AppendResult> {
    if (events.length === 0) return Promise.resolve({ appended: [], duplicates: [] });
    return new Promise((resolve, reject) => {
      this.#queue.push({ events, resolve, reject });
      this.#queuedEvents += events.length;
      this.#schedule();
    });
  }

  /** Commits whatever is queued and waits for it; used on shutdown so nothing accepted is left in memory. */
  async drain(): Promise<void> {
    this.#clearTimer();
    while (this.#flushing !== undefined || this.#queue.length > 0) {
      if (this.#flushing !== undefined) await this.#flushing;
      else await this.#flush();
    }
  }

  #schedule(): void {
    if (this.#flushing !== undefined || this.#timer !== undefined) return;
    if (this.#queuedEvents >= this.#options.maxBatch || this.#options.maxDelayMs === 0) {
      this.#timer = setImmediate(() => this.#startFlush());
    } else {
      this.#timer = setTimeout(() => this.#startFlush(), this.#options.maxDelayMs);
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  #startFlush(): void {
    this.#timer = undefined;
    void this.#flush();
  }

  #flush(): Promise<void> {
    const flushing = this.#commitQueued().finally(() => {
      this.#flushing = undefined;
      if (this.#queue.length > 0) this.#schedule();
    });
    this.#flushing = flushing;
    return flushing;
  }

  async #commitQueued(): Promise<void> {
    const batch = this.#takeBatch();
    if (batch.length === 0) return;
    const results = batch.map((): AppendResult => ({ appended: [], duplicates: [] }));
    try {
      // One transaction per chunk of at most maxBatch events; a caller whose events span chunks resolves after all.
      for (const chunk of chunked(batch, this.#options.maxBatch)) {
        const outcome = await this.#log.append(chunk.flatMap((part) => part.events));
        distribute(chunk, outcome, results, batch);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]!));
  }

  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0]!.events.length <= this.#options.maxBatch)) {
      const next = this.#queue.shift()!;
      batch.push(next);
      size += next.events.length;
    }
    this.#queuedEvents -= size;
    return batch;
  }
}

/** Splits submissions into chunks of at most `max` events, cutting a large submission where needed. */
function chunked(batch: Pending[], max: number): Pending[][] {
  const chunks: Pending[][] = [];
  let current: Pending[] = [];
  let size = 0;
  for (const pending of batch) {
    for (let offset = 0; offset < pending.events.length; offset += max) {
      const events = offset === 0 && pending.events.length <= max ? pending.events : pending.events.slice(offset, offset + max);
      if (size + events.length > max && current.length > 0) {
        chunks.push(current);
        current = [];
        size = 0;
      }
      current.push({ ...pending, events });
      size += events.length;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Hands each caller its own appended events and duplicates; an id appended once belongs to the first caller. */
function distribute(chunk: Pending[], outcome: AppendResult, results: AppendResult[], batch: Pending[]): void {
  const only = chunk[0];
  if (chunk.length === 1 && only !== undefined && outcome.duplicates.length === 0) {
    // The common case on the hot path: one caller, nothing duplicated; its events are the appended ones, in order.
    const result = results[batch.findIndex((pending) => pending.resolve === only.resolve)]!;
    for (const event of outcome.appended) result.appended.push(event);
    return;
  }
  const stored = new Map<string, StoredEvent>();
  for (const event of outcome.appended) stored.set(event.id, event);
  for (const part of chunk) {
    const index = batch.findIndex((pending) => pending.resolve === part.resolve);
    const result = results[index]!;
    for (const event of part.events) {
      const written = stored.get(event.id);
      if (written !== undefined) {
        result.appended.push(written);
        stored.delete(event.id);
      } else {
        result.duplicates.push(event.id);
      }
    }
  }
}
