/**
 * Stage 3, dedupe: drops ids repeated inside one submission and ids seen recently, before they cost a write.
 * The log's idempotent append is the guarantee; this bounded memory only saves work on hot retries.
 */
export class RecentIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Remembers ids, forgetting the oldest beyond capacity (a Set iterates in insertion order). */
  remember(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#ids.delete(id);
      this.#ids.add(id);
    }
    let excess = this.#ids.size - this.#capacity;
    if (excess <= 0) return;
    for (const id of this.#ids) {
      this.#ids.delete(id);
      excess -= 1;
      if (excess === 0) break;
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
