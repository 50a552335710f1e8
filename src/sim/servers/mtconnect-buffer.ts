/**
 * The agent's rolling buffer: every observation gets the next sequence number and the oldest drop out once the
 * buffer is full, as an MTConnect agent's circular buffer does. It answers `sample` (a range by sequence number) and
 * `current` (each item's latest value, now or at a sequence number still in the buffer). Conditions keep every
 * active FAULT/WARNING of an item (one per nativeCode) until a NORMAL clears it, so `current` lists them all.
 */
import type { CncObservation } from './cnc-feed.js';

/** An observation with its sequence number. */
export interface BufferedObservation {
  sequence: number;
  observation: CncObservation;
}

/** What the latest state of each data item is made of: one entry, or a condition's active entries. */
type ItemState = Map<string, BufferedObservation[]>;

/** A condition observation that is neither NORMAL nor UNAVAILABLE, i.e. one that is active. */
function isActive(entry: BufferedObservation): boolean {
  const level = entry.observation.condition?.level;
  return level !== undefined && level !== 'NORMAL';
}

/** Folds one observation into the per-item state. */
function apply(state: ItemState, entry: BufferedObservation, isCondition: boolean): void {
  const { dataItemId, condition } = entry.observation;
  // NORMAL without a code, and UNAVAILABLE, replace everything the item had.
  if (!isCondition || condition === undefined || (condition.level === 'NORMAL' && condition.nativeCode === undefined)) {
    state.set(dataItemId, [entry]);
    return;
  }
  const code = condition.nativeCode;
  const others = (state.get(dataItemId) ?? []).filter((held) => isActive(held) && held.observation.condition?.nativeCode !== code);
  if (condition.level === 'NORMAL') state.set(dataItemId, others.length > 0 ? others : [entry]);
  else state.set(dataItemId, [...others, entry]);
}

/** A slice of the buffer and where the next request should start. */
export interface BufferSlice {
  entries: BufferedObservation[];
  nextSequence: number;
}

/** The rolling, sequence-numbered buffer of one agent instance; see the module comment. */
export class ObservationBuffer {
  readonly capacity: number;
  readonly #ring: Array<BufferedObservation | undefined>;
  readonly #isCondition: (dataItemId: string) => boolean;
  /** Each item's state now. */
  readonly #latest: ItemState = new Map();
  /** Each item's state just before the oldest observation still held: the base `current?at=` builds on. */
  readonly #base: ItemState = new Map();
  #next = 1;

  /** @param isCondition tells CONDITION data items, whose active entries accumulate, from the others. */
  constructor(capacity: number, isCondition: (dataItemId: string) => boolean) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`buffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Array<BufferedObservation | undefined>(capacity);
    this.#isCondition = isCondition;
  }

  /** The oldest sequence number still held (the next one when nothing is held). */
  get firstSequence(): number {
    return Math.max(1, this.#next - this.capacity);
  }

  /** The sequence number the next observation will get. */
  get nextSequence(): number {
    return this.#next;
  }

  /** The newest sequence number (0 before the first observation). */
  get lastSequence(): number {
    return this.#next - 1;
  }

  /** Appends one observation; the oldest drops out when the buffer is full. */
  append(observation: CncObservation): BufferedObservation {
    const entry: BufferedObservation = { sequence: this.#next, observation };
    const slot = this.#next % this.capacity;
    const evicted = this.#ring[slot];
    if (evicted !== undefined) apply(this.#base, evicted, this.#isCondition(evicted.observation.dataItemId));
    this.#ring[slot] = entry;
    this.#next += 1;
    apply(this.#latest, entry, this.#isCondition(observation.dataItemId));
    return entry;
  }

  /** The observation with this sequence number, if still held. */
  get(sequence: number): BufferedObservation | undefined {
    if (sequence < this.firstSequence || sequence >= this.#next) return undefined;
    return this.#ring[sequence % this.capacity];
  }

  /**
   * Up to `count` observations from `from` on that `accept` takes (all by default). `nextSequence` follows the last
   * one returned when the count was reached, else it is the buffer's next sequence number.
   */
  slice(from: number, count: number, accept: (entry: BufferedObservation) => boolean = () => true): BufferSlice {
    const entries: BufferedObservation[] = [];
    for (let sequence = Math.max(from, this.firstSequence); sequence < this.#next; sequence += 1) {
      const entry = this.#ring[sequence % this.capacity]!;
      if (!accept(entry)) continue;
      entries.push(entry);
      if (entries.length === count) return { entries, nextSequence: sequence + 1 };
    }
    return { entries, nextSequence: this.#next };
  }

  /**
   * Each item's latest observation (a condition: each active one), now or as it was at sequence `at`.
   * @throws RangeError when `at` is not in the buffer (the agent answers OUT_OF_RANGE before asking)
   */
  current(at?: number): BufferedObservation[] {
    if (at === undefined) return [...this.#latest.values()].flat();
    if (at < this.firstSequence || at >= this.#next) throw new RangeError(`sequence ${at} is not in the buffer (${this.firstSequence}..${this.lastSequence})`);
    const state: ItemState = new Map([...this.#base].map(([id, entries]) => [id, [...entries]]));
    for (let sequence = this.firstSequence; sequence <= at; sequence += 1) {
      const entry = this.#ring[sequence % this.capacity]!;
      apply(state, entry, this.#isCondition(entry.observation.dataItemId));
    }
    return [...state.values()].flat();
  }
}
