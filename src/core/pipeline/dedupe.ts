/**
 * Stage 3, dedupe: drops ids repeated inside one submission and ids seen recently, before they cost a write.
 * The log's idempotent append is the guarantee; this bounded memory only saves work on hot retries.
 */
export class RecentIds {
  readonly #generationSize: number;
  // Two generations instead of an LRU: remembering is one Set.add, forgetting drops a whole generation at once,
  // and at least the most recent `capacity / 2` ids are always remembered.
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(capacity = 100_000) {
    this.#generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  has(id: string): boolean {
    return this.#current.has(id) || this.#previous.has(id);
  }

  remember(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#current.add(id);
      if (this.#current.size >= this.#generationSize) {
        this.#previous = this.#current;
        this.#current = new Set();
      }
    }
  }
}

/** Splits a batch into first occurrences and the ids to report as duplicates. */
export function dedupeBatch<T extends { id: string }>(items: readonly T[], recent: RecentIds): { unique: T[]; duplicates: string[] } {
  const seen = new Set<string>();
  const unique: T[] = [];
  const duplicates: string[] = [];
  for (const item of items) {
    if (seen.has(item.id) || recent.has(item.id)) duplicates.push(item.id);
    else {
      seen.add(item.id);
      unique.push(item);
    }
  }
  return { unique, duplicates };
}
