/**
 * Store-and-forward on its own small SQLite file per connector, so buffered readings survive a restart and do not
 * depend on the main store being reachable (which is exactly when they are needed).
 */
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { ForwardQueue, QueuedBatch } from '../../core/store.js';
import { guard } from './sqlite-database.js';

export interface ForwardQueueOptions {
  file: string;
  /** Most batches kept; a push beyond it is refused. */
  maxBatches: number;
}

export class SqliteForwardQueue implements ForwardQueue {
  readonly #db: Database.Database;
  readonly #max: number;
  readonly #push: Statement;
  readonly #peek: Statement;
  readonly #remove: Statement;
  readonly #count: Statement;
  #open = true;
  #size: number;

  constructor(options: ForwardQueueOptions) {
    this.#db = new Database(options.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL)');
    this.#max = options.maxBatches;
    this.#push = this.#db.prepare('INSERT INTO queue (kind, payload) VALUES (?, ?)');
    this.#peek = this.#db.prepare('SELECT seq, kind, payload FROM queue ORDER BY seq LIMIT ?');
    this.#remove = this.#db.prepare('DELETE FROM queue WHERE seq = ?');
    this.#count = this.#db.prepare('SELECT count(*) FROM queue').pluck();
    this.#size = this.#count.get() as number;
  }

  async push(kind: QueuedBatch['kind'], payload: string): Promise<boolean> {
    if (this.#size >= this.#max) return false;
    guard('buffer a batch', () => this.#open, () => this.#push.run(kind, payload));
    this.#size += 1;
    return true;
  }

  async peek(limit: number): Promise<QueuedBatch[]> {
    return guard('read the buffer', () => this.#open, () => this.#peek.all(limit) as QueuedBatch[]);
  }

  async remove(seq: number): Promise<void> {
    const removed = guard('remove a buffered batch', () => this.#open, () => this.#remove.run(seq).changes);
    this.#size -= removed;
  }

  async size(): Promise<number> {
    return this.#size;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}
