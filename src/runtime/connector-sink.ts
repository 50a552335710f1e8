/**
 * Where a connector's output goes: straight into the ingest pipeline while it can persist, and into the connector's
 * on-disk forward queue while it cannot (store away, back-pressure), drained in order when ingest works again.
 * Order is kept: once anything is queued, new batches queue behind it. Overflow is reported, never silent.
 */
import type { Backoff } from '../core/backoff.js';
import type { ConnectorSink } from '../core/connector.js';
import { describeError, isPlantfabricError } from '../core/errors.js';
import type { EventInput, Sample } from '../core/event.js';
import type { Ingestor } from '../core/ingest.js';
import type { MetricsRegistry } from '../core/metrics.js';
import type { DeadLetterStore, ForwardQueue, QueuedBatch } from '../core/store.js';

const UNAVAILABLE = new Set(['PF_ERR_INGEST_UNAVAILABLE', 'PF_ERR_STORE_UNAVAILABLE']);
const encoder = new TextEncoder();

export interface ForwardingSinkOptions {
  connector: string;
  system: string;
  ingestor: Ingestor;
  deadLetters: DeadLetterStore;
  queue: ForwardQueue;
  backoff: Backoff;
  metrics?: MetricsRegistry;
  /** Told when buffering starts or ends, and when a batch is lost to overflow. */
  onCondition?: (condition: { buffering: boolean; overflow?: string; lastError?: string }) => void;
}

export class ForwardingSink implements ConnectorSink {
  readonly #options: ForwardingSinkOptions;
  #draining: Promise<void> | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #queued = 0;

  constructor(options: ForwardingSinkOptions) {
    this.#options = options;
  }

  /** Starts draining whatever an earlier run left in the queue. */
  async start(): Promise<void> {
    this.#queued = await this.#options.queue.size();
    if (this.#queued > 0) this.#drain();
  }

  get buffered(): number {
    return this.#queued;
  }

  events(events: readonly EventInput[]): Promise<void> {
    return this.#submit('events', events);
  }

  samples(samples: readonly Sample[]): Promise<void> {
    return this.#submit('samples', samples);
  }

  async deadLetter(raw: Uint8Array, reason: { code: string; message: string; address?: string; contentType?: string; details?: unknown }): Promise<void> {
    this.#options.metrics?.inc('pf_connector_dead_letters_total', 'Connector inputs that could not be understood.', 1, { connector: this.#options.connector });
    await this.#options.deadLetters.add({
      stage: 'connector',
      code: reason.code,
      message: reason.message,
      raw,
      contentType: reason.contentType ?? 'application/octet-stream',
      source: { system: this.#options.system, connector: this.#options.connector, ...(reason.address === undefined ? {} : { address: reason.address }) },
      ...(reason.details === undefined ? {} : { details: reason.details }),
    });
  }

  /** Stops the drain loop; what is still queued stays on disk for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#draining;
  }

  async #submit(kind: QueuedBatch['kind'], items: readonly unknown[]): Promise<void> {
    if (items.length === 0) return;
    if (this.#queued === 0 && this.#draining === undefined) {
      try {
        await this.#deliver(kind, items);
        return;
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.#options.onCondition?.({ buffering: true, lastError: describeError(error) });
      }
    }
    await this.#enqueue(kind, items);
    this.#drain();
  }

  async #enqueue(kind: QueuedBatch['kind'], items: readonly unknown[]): Promise<void> {
    const payload = JSON.stringify(items);
    if (await this.#options.queue.push(kind, payload)) {
      this.#queued += 1;
      this.#options.metrics?.set('pf_connector_buffered_batches', 'Batches waiting in store-and-forward.', this.#queued, { connector: this.#options.connector });
      return;
    }
    const message = `store-and-forward queue full: ${items.length} ${kind} of ${this.#options.connector} dropped`;
    this.#options.metrics?.inc('pf_connector_buffer_overflow_total', 'Items dropped because the forward queue was full.', items.length, { connector: this.#options.connector, kind });
    this.#options.onCondition?.({ buffering: true, overflow: message });
    console.error(message);
  }

  async #deliver(kind: QueuedBatch['kind'], items: readonly unknown[]): Promise<void> {
    const source = { system: this.#options.system, connector: this.#options.connector };
    // Rejected items are dead-lettered inside the pipeline with their reason; only unavailability comes back here.
    if (kind === 'events') await this.#options.ingestor.ingestValue(items, { source });
    else await this.#options.ingestor.ingestSamples(items, { source });
  }

  #drain(): void {
    if (this.#draining !== undefined || this.#closed) return;
    this.#draining = this.#drainLoop().finally(() => {
      this.#draining = undefined;
    });
  }

  async #drainLoop(): Promise<void> {
    const { queue, backoff } = this.#options;
    while (!this.#closed) {
      const [next] = await queue.peek(1);
      if (next === undefined) break;
      try {
        await this.#deliver(next.kind, JSON.parse(next.payload) as unknown[]);
      } catch (error) {
        if (!isUnavailable(error)) {
          // A batch that can never be ingested must not block the queue behind it: keep it as a dead letter.
          await this.deadLetter(encoder.encode(next.payload), { code: isPlantfabricError(error) ? error.code : 'PF_ERR_INTERNAL', message: `buffered batch failed: ${describeError(error)}`, contentType: 'application/json' });
        } else {
          this.#options.onCondition?.({ buffering: true, lastError: describeError(error) });
          await this.#sleep(backoff.next() ?? 30_000);
          continue;
        }
      }
      backoff.reset();
      await queue.remove(next.seq);
      this.#queued = Math.max(0, this.#queued - 1);
      this.#options.metrics?.set('pf_connector_buffered_batches', 'Batches waiting in store-and-forward.', this.#queued, { connector: this.#options.connector });
    }
    if (this.#queued === 0) this.#options.onCondition?.({ buffering: false });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

function isUnavailable(error: unknown): boolean {
  return isPlantfabricError(error) && UNAVAILABLE.has(error.code);
}
