/**
 * Where-is: every tag's last known position, zone and since when, kept from the log for the API. At start it loads
 * its last snapshot from the record store and reads only the events after it (position reports are the bulk of the
 * log, so reading them all at every start would grow without bound); then it follows the bus. It subscribes before
 * the catch-up and holds back what the bus delivers meanwhile, so nothing is missed or applied twice.
 */
import type { EventBus } from '../../core/event-bus.js';
import type { StoredEvent } from '../../core/event.js';
import type { LocationReader, TagWhereabouts, WhereIsFilter } from '../../core/locations.js';
import type { EventLog, RecordStore, Unsubscribe } from '../../core/store.js';
import type { LocationEngineConfig } from './location-config.js';
import { applyWhereIs, WHERE_IS_EVENT_TYPES, whereIs, type TagPlace, type WhereIsState } from './where-is.js';
import { planOf, type ZonePlan } from './zone-plan.js';

const SNAPSHOT_KIND = 'location';
const SNAPSHOT_ID = 'where-is';
const SNAPSHOT_VERSION = 1;
const PAGE = 5_000;
/** Events applied between snapshots while live: bounds what a restart after a crash has to read again. */
const SNAPSHOT_EVERY = 20_000;

interface Snapshot {
  version: number;
  /** Every followed event up to this log position is in `tags`. */
  position: number;
  tags: Array<[string, TagPlace]>;
}

export interface LocationIndexOptions {
  events: EventLog;
  bus: EventBus;
  records: RecordStore;
  config: LocationEngineConfig;
  /** Where a failed snapshot write is reported (the index keeps working; the next start reads more of the log). */
  onError?: (error: unknown) => void;
}

export class LocationIndex implements LocationReader {
  readonly #events: EventLog;
  readonly #bus: EventBus;
  readonly #records: RecordStore;
  readonly #plan: ZonePlan;
  readonly #types: ReadonlySet<string> = new Set(WHERE_IS_EVENT_TYPES);
  readonly #onError: (error: unknown) => void;
  #state: WhereIsState = new Map();
  #unsubscribe: Unsubscribe | undefined;
  #live = false;
  #held: StoredEvent[] = [];
  /** Position of the last followed event applied. */
  #applied = 0;
  #snapshotAt = 0;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: LocationIndexOptions) {
    this.#events = options.events;
    this.#bus = options.bus;
    this.#records = options.records;
    this.#plan = planOf(options.config);
    this.#onError = options.onError ?? ((error) => console.error(`location where-is snapshot failed: ${String(error)}`));
  }

  /** Loads the snapshot, catches up with the log, then follows the bus. Resolves once caught up. */
  async start(): Promise<void> {
    if (this.#unsubscribe !== undefined) return;
    this.#unsubscribe = this.#bus.subscribe((events) => this.#delivered(events));
    const snapshot = await this.#records.get<Snapshot>(SNAPSHOT_KIND, SNAPSHOT_ID);
    if (snapshot?.version === SNAPSHOT_VERSION) {
      this.#state = new Map(snapshot.tags);
      this.#applied = snapshot.position;
      this.#snapshotAt = snapshot.position;
    }
    for (;;) {
      const page = await this.#events.query({ types: [...this.#types], afterPosition: this.#applied, limit: PAGE });
      for (const event of page) this.#offer(event);
      if (page.length < PAGE) break;
    }
    if (this.#unsubscribe === undefined) return; // stopped meanwhile
    this.#live = true;
    const held = this.#held;
    this.#held = [];
    for (const event of held) this.#offer(event);
    if (this.#applied > this.#snapshotAt) this.#saveSnapshot();
    await this.#saving;
  }

  /** Stops following and writes a last snapshot, so the next start reads only what comes after. */
  async stop(): Promise<void> {
    if (this.#unsubscribe === undefined) return;
    this.#unsubscribe();
    this.#unsubscribe = undefined;
    const wasLive = this.#live;
    this.#live = false;
    this.#held = [];
    if (wasLive && this.#applied > this.#snapshotAt) this.#saveSnapshot();
    await this.#saving;
  }

  whereIs(filter?: WhereIsFilter): TagWhereabouts[] {
    return whereIs(this.#plan, this.#state, filter);
  }

  #delivered(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (!this.#types.has(event.type)) continue;
      if (this.#live) this.#offer(event);
      else this.#held.push(event);
    }
    if (this.#live && this.#applied - this.#snapshotAt >= SNAPSHOT_EVERY) this.#saveSnapshot();
  }

  #offer(event: StoredEvent): void {
    if (event.position <= this.#applied || !this.#types.has(event.type)) return;
    this.#applied = event.position;
    applyWhereIs(this.#state, event);
  }

  /** Writes the state as of now; one write at a time, in order. */
  #saveSnapshot(): void {
    const snapshot: Snapshot = { version: SNAPSHOT_VERSION, position: this.#applied, tags: structuredClone([...this.#state.entries()]) };
    this.#snapshotAt = snapshot.position;
    this.#saving = this.#saving.then(() => this.#records.put(SNAPSHOT_KIND, SNAPSHOT_ID, snapshot)).catch((error: unknown) => this.#onError(error));
  }
}
