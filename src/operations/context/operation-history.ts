/**
 * What ran on one machine and when: the intervals of work-order operations, ordered by start. Kept per equipment so
 * "what was running on press-1 at 06:42 yesterday" is a binary search, not a log query. Bounded: the oldest
 * intervals fall off once the limit is reached, so memory stays flat however long the plant runs.
 */

export interface OperationInterval {
  workOrder: string;
  operation?: string;
  lot?: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive; undefined while no completion was seen. The next interval's start also ends it. */
  end?: number;
}

/** The operation intervals of one equipment, oldest first, at most `limit` of them. */
export class OperationHistory {
  readonly #intervals: OperationInterval[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError(`history limit must be at least 1, got ${limit}`);
    this.#limit = limit;
  }

  get size(): number {
    return this.#intervals.length;
  }

  /**
   * Records an operation start. A repeated start of the same order and operation at the same instant (a re-sent
   * event under another id) changes nothing. Starts that arrive late are inserted at their place in time.
   */
  started(interval: OperationInterval): void {
    const index = this.#insertionIndex(interval.start);
    for (let probe = index - 1; probe >= 0 && this.#intervals[probe]!.start === interval.start; probe -= 1) {
      const existing = this.#intervals[probe]!;
      if (existing.workOrder === interval.workOrder && existing.operation === interval.operation) return;
    }
    this.#intervals.splice(index, 0, { ...interval });
    if (this.#intervals.length > this.#limit) this.#intervals.shift();
  }

  /**
   * Ends the latest still-open interval of this order (and operation, when both name one) that started at or before
   * `at`. A completion with no matching start ends nothing. Returns the interval ended, if any.
   */
  completed(workOrder: string, operation: string | undefined, at: number): OperationInterval | undefined {
    for (let index = this.#insertionIndex(at) - 1; index >= 0; index -= 1) {
      const interval = this.#intervals[index]!;
      if (interval.workOrder !== workOrder || interval.end !== undefined) continue;
      if (operation !== undefined && interval.operation !== undefined && interval.operation !== operation) continue;
      interval.end = at;
      return interval;
    }
    return undefined;
  }

  /** The interval running at `at`: the latest started at or before it, unless it had already ended. */
  at(at: number): OperationInterval | undefined {
    const index = this.#insertionIndex(at) - 1;
    if (index < 0) return undefined;
    const interval = this.#intervals[index]!;
    return interval.end === undefined || at < interval.end ? interval : undefined;
  }

  /** The open interval of an order here, latest first; for completions that name no operation. */
  openOf(workOrder: string): OperationInterval | undefined {
    for (let index = this.#intervals.length - 1; index >= 0; index -= 1) {
      const interval = this.#intervals[index]!;
      if (interval.workOrder === workOrder && interval.end === undefined) return interval;
    }
    return undefined;
  }

  /** The index after every interval starting at or before `at` (upper bound). */
  #insertionIndex(at: number): number {
    let low = 0;
    let high = this.#intervals.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#intervals[middle]!.start <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
