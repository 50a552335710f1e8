/**
 * Records (entities, users, sessions, tokens, learnt crosswalk entries) and consumer checkpoints on SQLite.
 */
import type { Statement } from 'better-sqlite3';
import type { CheckpointStore, RecordStore } from '../../core/store.js';
import { guard, type SqliteDatabase } from './sqlite-database.js';

export class SqliteRecordStore implements RecordStore, CheckpointStore {
  readonly #isOpen: () => boolean;
  readonly #now: () => number;
  readonly #put: Statement;
  readonly #get: Statement;
  readonly #list: Statement;
  readonly #delete: Statement;
  readonly #getCheckpoint: Statement;
  readonly #setCheckpoint: Statement;
  readonly #listCheckpoints: Statement;

  constructor(db: SqliteDatabase, isOpen: () => boolean, now: () => number = Date.now) {
    this.#isOpen = isOpen;
    this.#now = now;
    this.#put = db.prepare(
      'INSERT INTO records (kind, id, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
    );
    this.#get = db.prepare('SELECT body FROM records WHERE kind = ? AND id = ?').pluck();
    this.#list = db.prepare('SELECT id, body FROM records WHERE kind = ? ORDER BY id');
    this.#delete = db.prepare('DELETE FROM records WHERE kind = ? AND id = ?');
    this.#getCheckpoint = db.prepare('SELECT position FROM checkpoints WHERE consumer = ?').pluck();
    this.#setCheckpoint = db.prepare(
      'INSERT INTO checkpoints (consumer, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    );
    this.#listCheckpoints = db.prepare('SELECT consumer, position FROM checkpoints ORDER BY consumer');
  }

  async put<T>(kind: string, id: string, value: T): Promise<void> {
    guard('write a record', this.#isOpen, () => this.#put.run(kind, id, JSON.stringify(value), this.#now()));
  }

  async get<T>(kind: string, id: string): Promise<T | undefined> {
    const body = guard('read a record', this.#isOpen, () => this.#get.get(kind, id) as string | undefined);
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  async list<T>(kind: string): Promise<Array<{ id: string; value: T }>> {
    const rows = guard('list records', this.#isOpen, () => this.#list.all(kind) as Array<{ id: string; body: string }>);
    return rows.map((row) => ({ id: row.id, value: JSON.parse(row.body) as T }));
  }

  async delete(kind: string, id: string): Promise<boolean> {
    return guard('delete a record', this.#isOpen, () => this.#delete.run(kind, id).changes > 0);
  }

  async getCheckpoint(consumer: string): Promise<number> {
    return guard('read a checkpoint', this.#isOpen, () => (this.#getCheckpoint.get(consumer) as number | undefined) ?? 0);
  }

  async setCheckpoint(consumer: string, position: number): Promise<void> {
    guard('write a checkpoint', this.#isOpen, () => this.#setCheckpoint.run(consumer, position, this.#now()));
  }

  async listCheckpoints(): Promise<Array<{ consumer: string; position: number }>> {
    return guard('list checkpoints', this.#isOpen, () => this.#listCheckpoints.all() as Array<{ consumer: string; position: number }>);
  }
}
