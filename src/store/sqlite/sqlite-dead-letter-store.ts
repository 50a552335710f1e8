/**
 * Dead letters on SQLite: the raw bytes as a BLOB, exactly as received, with the stage, code and reason.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../core/errors.js';
import type { DeadLetter, DeadLetterInput, DeadLetterQuery, DeadLetterStatus, DeadLetterStore } from '../../core/store.js';
import { guard, type SqliteDatabase } from './sqlite-database.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface Row {
  id: string;
  created_at: number;
  stage: DeadLetter['stage'];
  code: string;
  message: string;
  raw: Buffer;
  content_type: string;
  source: string;
  engine_id: string | null;
  event_id: string | null;
  details: string | null;
  status: DeadLetterStatus;
  attempts: number;
  last_attempt_at: number | null;
  resolved_at: number | null;
}

function toDeadLetter(row: Row): DeadLetter {
  const entry: DeadLetter = {
    id: row.id,
    createdAt: row.created_at,
    stage: row.stage,
    code: row.code,
    message: row.message,
    raw: new Uint8Array(row.raw),
    contentType: row.content_type,
    source: JSON.parse(row.source) as DeadLetter['source'],
    status: row.status,
    attempts: row.attempts,
  };
  if (row.engine_id !== null) entry.engineId = row.engine_id;
  if (row.event_id !== null) entry.eventId = row.event_id;
  if (row.details !== null) entry.details = JSON.parse(row.details) as unknown;
  if (row.last_attempt_at !== null) entry.lastAttemptAt = row.last_attempt_at;
  if (row.resolved_at !== null) entry.resolvedAt = row.resolved_at;
  return entry;
}

export class SqliteDeadLetterStore implements DeadLetterStore {
  readonly #db: SqliteDatabase;
  readonly #isOpen: () => boolean;
  readonly #now: () => number;
  readonly #insert: Statement;
  readonly #get: Statement;

  constructor(db: SqliteDatabase, isOpen: () => boolean, now: () => number = Date.now) {
    this.#db = db;
    this.#isOpen = isOpen;
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO dead_letters (id, created_at, stage, code, message, raw, content_type, source, engine_id, event_id, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#get = db.prepare('SELECT * FROM dead_letters WHERE id = ?');
  }

  async add(input: DeadLetterInput): Promise<DeadLetter> {
    const id = randomUUID();
    guard('add a dead letter', this.#isOpen, () =>
      this.#insert.run(
        id,
        this.#now(),
        input.stage,
        input.code,
        input.message,
        Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength),
        input.contentType,
        JSON.stringify(input.source),
        input.engineId ?? null,
        input.eventId ?? null,
        input.details === undefined ? null : JSON.stringify(input.details),
      ),
    );
    return this.#require(id);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const row = guard('read a dead letter', this.#isOpen, () => this.#get.get(id) as Row | undefined);
    return row === undefined ? undefined : toDeadLetter(row);
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.status !== undefined) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.stage !== undefined) {
      where.push('stage = ?');
      params.push(query.stage);
    }
    if (query.engineId !== undefined) {
      where.push('engine_id = ?');
      params.push(query.engineId);
    }
    if (query.afterId !== undefined) {
      where.push('seq > coalesce((SELECT seq FROM dead_letters WHERE id = ?), 0)');
      params.push(query.afterId);
    }
    const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
    const sql = `SELECT * FROM dead_letters ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${limit}`;
    const rows = guard('list dead letters', this.#isOpen, () => this.#db.prepare(sql).all(...params) as Row[]);
    return rows.map(toDeadLetter);
  }

  async count(status?: DeadLetterStatus): Promise<number> {
    return guard('count dead letters', this.#isOpen, () =>
      status === undefined
        ? (this.#db.prepare('SELECT count(*) FROM dead_letters').pluck().get() as number)
        : (this.#db.prepare('SELECT count(*) FROM dead_letters WHERE status = ?').pluck().get(status) as number),
    );
  }

  async recordAttempt(id: string, outcome: { ok: true } | { ok: false; code: string; message: string }): Promise<DeadLetter> {
    const now = this.#now();
    const changes = guard('record a replay attempt', this.#isOpen, () =>
      outcome.ok
        ? this.#db.prepare(`UPDATE dead_letters SET attempts = attempts + 1, last_attempt_at = ?, status = 'replayed', resolved_at = ? WHERE id = ?`).run(now, now, id).changes
        : this.#db.prepare('UPDATE dead_letters SET attempts = attempts + 1, last_attempt_at = ?, code = ?, message = ? WHERE id = ?').run(now, outcome.code, outcome.message, id).changes,
    );
    if (changes === 0) throw new NotFoundError('PF_ERR_DEADLETTER_NOT_FOUND', `no dead letter with id ${id}`);
    return this.#require(id);
  }

  async discard(id: string): Promise<DeadLetter> {
    const now = this.#now();
    const changes = guard('discard a dead letter', this.#isOpen, () =>
      this.#db.prepare(`UPDATE dead_letters SET status = 'discarded', resolved_at = ? WHERE id = ?`).run(now, id).changes,
    );
    if (changes === 0) throw new NotFoundError('PF_ERR_DEADLETTER_NOT_FOUND', `no dead letter with id ${id}`);
    return this.#require(id);
  }

  async #require(id: string): Promise<DeadLetter> {
    const entry = await this.get(id);
    if (entry === undefined) throw new NotFoundError('PF_ERR_DEADLETTER_NOT_FOUND', `no dead letter with id ${id}`);
    return entry;
  }
}
