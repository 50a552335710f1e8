/**
 * The event log on SQLite: one row per event, the full event as JSON plus indexed columns for the common filters.
 * Positions are the rowid, which a skipped duplicate never consumes, so they are gap-free.
 */
import type { Statement } from 'better-sqlite3';
import type { CanonicalEvent, StoredEvent } from '../../core/event.js';
import type { AppendResult, EventLog, EventQuery, Unsubscribe } from '../../core/store.js';
import { guard, type SqliteDatabase } from './sqlite-database.js';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
/** SQLite's default host-parameter limit is 32766; stay well below it. */
const ID_CHUNK = 500;

interface EventRow {
  position: number;
  body: string;
}

function toStored(row: EventRow): StoredEvent {
  const event = JSON.parse(row.body) as CanonicalEvent;
  return { ...event, position: row.position };
}

/** A stored copy built as one literal: an object spread per event costs measurably on the ingest hot path. */
function withPosition(event: CanonicalEvent, position: number): StoredEvent {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    receivedAt: event.receivedAt,
    source: event.source,
    subject: event.subject,
    data: event.data,
    quality: event.quality,
    position,
  };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

export class SqliteEventLog implements EventLog {
  readonly #db: SqliteDatabase;
  readonly #isOpen: () => boolean;
  readonly #insert: Statement;
  readonly #readFrom: Statement;
  readonly #head: Statement;
  readonly #appendMany: (events: readonly CanonicalEvent[]) => AppendResult;
  readonly #listeners = new Set<(events: StoredEvent[]) => void>();

  constructor(db: SqliteDatabase, isOpen: () => boolean) {
    this.#db = db;
    this.#isOpen = isOpen;
    this.#insert = db.prepare(
      `INSERT INTO events (id, type, occurred_at, received_at, equipment, work_order, lot, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.#readFrom = db.prepare('SELECT position, body FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.#head = db.prepare('SELECT coalesce(max(position), 0) AS head FROM events').pluck();
    this.#appendMany = db.transaction((events: readonly CanonicalEvent[]): AppendResult => {
      const appended: StoredEvent[] = [];
      const duplicates: string[] = [];
      for (const event of events) {
        const info = this.#insert.run(
          event.id,
          event.type,
          Date.parse(event.occurredAt),
          Date.parse(event.receivedAt),
          event.subject.equipment ?? null,
          event.subject.workOrder ?? null,
          event.subject.lot ?? null,
          JSON.stringify(event),
        );
        if (info.changes === 1) appended.push(withPosition(event, Number(info.lastInsertRowid)));
        else duplicates.push(event.id);
      }
      return { appended, duplicates };
    });
  }

  async append(events: readonly CanonicalEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { appended: [], duplicates: [] };
    const result = guard('append events', this.#isOpen, () => this.#appendMany(events));
    if (result.appended.length > 0) this.#notify(result.appended);
    return result;
  }

  async readFrom(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const rows = guard('read events', this.#isOpen, () => this.#readFrom.all(afterPosition, Math.max(0, Math.min(limit, MAX_LIMIT * 10))) as EventRow[]);
    return rows.map(toStored);
  }

  async query(query: EventQuery): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.types !== undefined && query.types.length > 0) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      params.push(...query.types);
    }
    if (query.equipment !== undefined) {
      where.push(`(equipment = ? OR equipment LIKE ? ESCAPE '\\')`);
      params.push(query.equipment, `${escapeLike(query.equipment)}/%`);
    }
    if (query.workOrder !== undefined) {
      where.push('work_order = ?');
      params.push(query.workOrder);
    }
    if (query.lot !== undefined) {
      where.push('lot = ?');
      params.push(query.lot);
    }
    if (query.from !== undefined) {
      where.push('occurred_at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('occurred_at < ?');
      params.push(query.to);
    }
    if (query.afterPosition !== undefined) {
      where.push('position > ?');
      params.push(query.afterPosition);
    }
    const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
    const order = query.newestFirst === true ? 'occurred_at DESC, position DESC' : 'position';
    const sql = `SELECT position, body FROM events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${limit}`;
    const rows = guard('query events', this.#isOpen, () => this.#db.prepare(sql).all(...params) as EventRow[]);
    return rows.map(toStored);
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    guard('look up event ids', this.#isOpen, () => {
      for (let offset = 0; offset < ids.length; offset += ID_CHUNK) {
        const chunk = ids.slice(offset, offset + ID_CHUNK);
        const rows = this.#db.prepare(`SELECT id FROM events WHERE id IN (${chunk.map(() => '?').join(', ')})`).pluck().all(...chunk) as string[];
        for (const id of rows) found.add(id);
      }
    });
    return found;
  }

  async head(): Promise<number> {
    return guard('read the log head', this.#isOpen, () => this.#head.get() as number);
  }

  subscribe(listener: (events: StoredEvent[]) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(events: StoredEvent[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch (error) {
        // A listener's bug must not undo or block an append that is already durable; surface it without swallowing.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
