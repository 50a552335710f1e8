/**
 * The bus that carries stored events from the pipeline to engines, the live stream and (later) other processes.
 * The in-process implementation lives here; NATS JetStream comes as src/bus/nats with the same interface.
 */
import type { StoredEvent } from './event.js';
import type { Unsubscribe } from './store.js';

export type BusHandler = (events: readonly StoredEvent[]) => void;

export interface EventBus {
  /** Delivers events already durable in the log, in log order. */
  publish(events: readonly StoredEvent[]): Promise<void>;
  /** Registers a handler for every published batch; handlers must be quick (they wake work, they don't do it). */
  subscribe(handler: BusHandler): Unsubscribe;
  close(): Promise<void>;
}

/** Delivers synchronously to handlers in this process; one failing handler never starves the others. */
export class InProcessEventBus implements EventBus {
  readonly #handlers = new Set<BusHandler>();
  readonly #onHandlerError: (error: unknown) => void;

  constructor(options: { onHandlerError?: (error: unknown) => void } = {}) {
    this.#onHandlerError = options.onHandlerError ?? ((error) => queueMicrotask(() => { throw error; }));
  }

  async publish(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.#handlers) {
      try {
        handler(events);
      } catch (error) {
        this.#onHandlerError(error);
      }
    }
  }

  subscribe(handler: BusHandler): Unsubscribe {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }
}
