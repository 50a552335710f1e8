/**
 * Feeds a projection with the events of some types: first everything already in the log (paged), then every event
 * the bus delivers, with no gap and no repeat between the two. The bus subscription is made before the catch-up
 * reads, and what it delivers meanwhile is held back; afterwards an event is applied only when its position is past
 * the last one applied. That relies on the bus contract (stored events, in log order).
 */
import type { EventBus } from '../../core/event-bus.js';
import type { StoredEvent } from '../../core/event.js';
import type { EventLog, Unsubscribe } from '../../core/store.js';

export interface LogFollowerOptions {
  events: EventLog;
  bus: EventBus;
  types: readonly string[];
  apply: (event: StoredEvent) => void;
  /** Events per catch-up query; default 5,000. */
  pageSize?: number;
}

export class LogFollower {
  readonly #events: EventLog;
  readonly #bus: EventBus;
  readonly #types: ReadonlySet<string>;
  readonly #apply: (event: StoredEvent) => void;
  readonly #pageSize: number;
  #unsubscribe: Unsubscribe | undefined;
  /** Position of the last event applied. */
  #applied = 0;
  /** The highest log position known to be reflected (any type): the catch-up's head, then the bus. */
  #seen = 0;
  #live = false;
  /** Followed events the bus delivered during the catch-up, and the highest position it delivered then. */
  #held: StoredEvent[] = [];
  #heldSeen = 0;

  constructor(options: LogFollowerOptions) {
    this.#events = options.events;
    this.#bus = options.bus;
    this.#types = new Set(options.types);
    this.#apply = options.apply;
    this.#pageSize = options.pageSize ?? 5_000;
  }

  /** Log position up to which every event of the followed types has been applied. */
  get seenPosition(): number {
    return this.#seen;
  }

  /** Catches up with the log, then follows the bus. Resolves once caught up. */
  async start(): Promise<void> {
    if (this.#unsubscribe !== undefined) return;
    this.#unsubscribe = this.#bus.subscribe((events) => this.#delivered(events));
    const head = await this.#events.head();
    await this.#readLog();
    if (this.#unsubscribe === undefined) return; // stopped meanwhile
    this.#live = true;
    const held = this.#held;
    this.#held = [];
    for (const event of held) this.#offer(event);
    this.#seen = Math.max(this.#seen, head, this.#heldSeen);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#live = false;
    this.#held = [];
  }

  /**
   * Makes sure every followed event up to `position` is applied, reading the log for the rare case where a consumer
   * saw an event (from the log) before the bus delivered it here. Free when already there.
   */
  async catchUpTo(position: number): Promise<void> {
    if (position <= this.#seen) return;
    await this.#readLog(position);
    this.#seen = Math.max(this.#seen, position);
  }

  async #readLog(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      const page = await this.#events.query({ types: [...this.#types], afterPosition: this.#applied, limit: this.#pageSize });
      for (const event of page) this.#offer(event);
      const last = page[page.length - 1];
      if (page.length < this.#pageSize || last === undefined || last.position >= until) return;
    }
  }

  #delivered(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (!this.#live) {
        if (this.#types.has(event.type)) this.#held.push(event);
        if (event.position > this.#heldSeen) this.#heldSeen = event.position;
        continue;
      }
      this.#offer(event);
      if (event.position > this.#seen) this.#seen = event.position;
    }
  }

  #offer(event: StoredEvent): void {
    if (event.position <= this.#applied || !this.#types.has(event.type)) return;
    this.#applied = event.position;
    this.#apply(event);
  }
}
