/**
 * The REST connector's cursors, one per poll, in one small JSON file under the connector's state folder. Each save
 * writes a temporary file, flushes it to disk and renames it over the old one, so a crash leaves either the old
 * cursors or the new ones, never half a file. Saves are chained so two polls never interleave their writes.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const CURSOR_FILE = 'rest-cursors.json';

export interface CursorEntry {
  cursor: string;
  /** When it was saved, ISO 8601, for people reading the file. */
  savedAt: string;
}

export class CursorStore {
  readonly #file: string;
  readonly #now: () => number;
  #cursors: Record<string, CursorEntry> = {};
  #writing: Promise<void> = Promise.resolve();

  constructor(stateDir: string, now: () => number) {
    this.#file = join(stateDir, CURSOR_FILE);
    this.#now = now;
  }

  /**
   * Reads the file; a missing file means no cursors yet.
   * @throws when the file exists but is not the JSON this store writes (it is never silently reset)
   */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${this.#file} is not a JSON object`);
    this.#cursors = parsed as Record<string, CursorEntry>;
  }

  get(pollId: string): string | undefined {
    const cursor = this.#cursors[pollId]?.cursor;
    return typeof cursor === 'string' ? cursor : undefined;
  }

  /** Records the cursor of a poll and resolves once it is on disk. */
  save(pollId: string, cursor: string): Promise<void> {
    this.#cursors = { ...this.#cursors, [pollId]: { cursor, savedAt: new Date(this.#now()).toISOString() } };
    const snapshot = JSON.stringify(this.#cursors, null, 2);
    const write = this.#writing.then(() => this.#write(snapshot));
    // A failed write must not poison the chain for the next save; the caller still sees this one fail.
    this.#writing = write.catch(() => undefined);
    return write;
  }

  async #write(text: string): Promise<void> {
    const temporary = `${this.#file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.#file);
  }
}
