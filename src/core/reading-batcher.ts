/**
 * What every reading connector does between mapping and the sink: collect events and samples, hand them over in
 * batches (when `maxItems` are waiting, or `flushMs` after the first), one batch at a time so they arrive in the order
 * they were read, samples before events of the same batch. A failed hand-over is reported, never thrown into the
 * protocol library's callback.
 */
import type { ConnectorSink } from './connector.js';
import type { EventInput, Sample } from './event.js';
import type { MappingResult } from './mapping.js';

export interface ReadingBatcherOptions {
  sink: ConnectorSink;
  /** Longest a reading waits to be handed over, ms. */
  flushMs: number;
  /** Hand over at once when this many are waiting. Default 1,000. */
  maxItems?: number;
  /** Told when the sink refused a batch (the store is away and the forward queue too). */
  onError(error: unknown): void;
}

export class ReadingBatcher {
  readonly #options: ReadingBatcherOptions;
  #events: EventInput[] = [];
  #samples: Sample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: ReadingBatcherOptions) {
    this.#options = options;
  }

  /** Takes a sample or an event from a mapping result (skips and rejects are the caller's business). */
  add(result: MappingResult): void {
    if (result.kind === 'sample') this.addSample(result.sample);
    else if (result.kind === 'event') this.addEvent(result.event);
  }

  addEvent(event: EventInput): void {
    this.#events.push(event);
    this.#schedule();
  }

  addSample(sample: Sample): void {
    this.#samples.push(sample);
    this.#schedule();
  }

  /** Hands over whatever waits; resolves once it (and every batch before it) was handed over. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const events = this.#events;
    const samples = this.#samples;
    this.#events = [];
    this.#samples = [];
    if (events.length === 0 && samples.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(async () => {
      try {
        if (samples.length > 0) await this.#options.sink.samples(samples);
        if (events.length > 0) await this.#options.sink.events(events);
      } catch (error) {
        this.#options.onError(error);
      }
    });
    return this.#flushing;
  }

  #schedule(): void {
    if (this.#events.length + this.#samples.length >= (this.#options.maxItems ?? 1_000)) {
      void this.flush();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#options.flushMs);
    }
  }
}
