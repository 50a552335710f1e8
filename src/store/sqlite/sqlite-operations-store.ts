/**
 * Cases, case history, durable timers and the notification outbox on SQLite, each unit of work committed in one
 * IMMEDIATE transaction together with its audit entries (the write lock is taken before the ledger head is read, so
 * a second process, such as the CLI, can never fork the chain).
 */
import type { Statement } from 'better-sqlite3';
import type {
  CaseHistoryEntry,
  CaseQuery,
  CaseRow,
  CommitResult,
  DurableTimer,
  OperationsStore,
  OutboxMessage,
  OutboxStatus,
  UnitOfWork,
} from '../../core/operations-store.js';
import type { SqliteAuditLedger } from './sqlite-audit-ledger.js';
import { guard, type SqliteDatabase } from './sqlite-database.js';

interface CaseDbRow {
  id: string;
  kind: string;
  status: string;
  area: string | null;
  owner: string | null;
  correlation_key: string | null;
  opened_at: number;
  updated_at: number;
  body: string;
}

interface OutboxDbRow {
  id: string;
  channel: string;
  created_at: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  payload: string;
}

interface TimerDbRow {
  id: string;
  due_at: number;
  kind: string;
  ref: string;
  payload: string | null;
}

const MAX_LIMIT = 10_000;

function caseOf<Doc>(row: CaseDbRow): CaseRow<Doc> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ...(row.area === null ? {} : { area: row.area }),
    ...(row.owner === null ? {} : { owner: row.owner }),
    ...(row.correlation_key === null ? {} : { correlationKey: row.correlation_key }),
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    doc: JSON.parse(row.body) as Doc,
  };
}

function timerOf(row: TimerDbRow): DurableTimer {
  return { id: row.id, dueAt: row.due_at, kind: row.kind, ref: row.ref, ...(row.payload === null ? {} : { payload: JSON.parse(row.payload) as Record<string, unknown> }) };
}

function outboxOf(row: OutboxDbRow): OutboxMessage {
  return {
    id: row.id,
    channel: row.channel,
    createdAt: row.created_at,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

function caseFilter(query: CaseQuery): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status !== undefined && query.status.length > 0) {
    where.push(`status IN (${query.status.map(() => '?').join(', ')})`);
    params.push(...query.status);
  }
  if (query.areas !== undefined) {
    const inAreas = query.areas.length > 0 ? `area IN (${query.areas.map(() => '?').join(', ')})` : '0';
    where.push(query.includeNoArea === true ? `(${inAreas} OR area IS NULL)` : inAreas);
    params.push(...query.areas);
  }
  if (query.owner !== undefined) { where.push('owner = ?'); params.push(query.owner); }
  if (query.kind !== undefined) { where.push('kind = ?'); params.push(query.kind); }
  if (query.correlationKey !== undefined) { where.push('correlation_key = ?'); params.push(query.correlationKey); }
  if (query.openedFrom !== undefined) { where.push('opened_at >= ?'); params.push(query.openedFrom); }
  if (query.openedTo !== undefined) { where.push('opened_at < ?'); params.push(query.openedTo); }
  return { where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

export class SqliteOperationsStore implements OperationsStore {
  readonly #db: SqliteDatabase;
  readonly #isOpen: () => boolean;
  readonly #now: () => number;
  readonly #ledger: SqliteAuditLedger;
  readonly #commit: (unit: UnitOfWork) => CommitResult;
  readonly #getCase: Statement;
  readonly #history: Statement;
  readonly #dueTimers: Statement;
  readonly #nextTimer: Statement;
  readonly #timersFor: Statement;
  readonly #dueOutbox: Statement;
  readonly #getOutbox: Statement;

  constructor(db: SqliteDatabase, isOpen: () => boolean, ledger: SqliteAuditLedger, now: () => number = Date.now) {
    this.#db = db;
    this.#isOpen = isOpen;
    this.#now = now;
    this.#ledger = ledger;
    const putRecord = db.prepare(
      'INSERT INTO records (kind, id, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
    );
    const deleteRecord = db.prepare('DELETE FROM records WHERE kind = ? AND id = ?');
    const putCase = db.prepare(`INSERT INTO cases (id, kind, status, area, owner, correlation_key, opened_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, area = excluded.area, owner = excluded.owner,
      correlation_key = excluded.correlation_key, opened_at = excluded.opened_at, updated_at = excluded.updated_at, body = excluded.body`);
    const addHistory = db.prepare('INSERT INTO case_history (case_id, at, actor, action, data) VALUES (?, ?, ?, ?, ?)');
    const setTimer = db.prepare('INSERT OR REPLACE INTO timers (id, due_at, kind, ref, payload) VALUES (?, ?, ?, ?, ?)');
    const clearTimer = db.prepare('DELETE FROM timers WHERE id = ?');
    const addOutbox = db.prepare(`INSERT OR IGNORE INTO outbox (id, channel, created_at, status, attempts, next_attempt_at, payload) VALUES (?, ?, ?, 'pending', 0, ?, ?)`);
    const updateOutbox = db.prepare('UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?');

    const write = db.transaction((unit: UnitOfWork): CommitResult => {
      const now = this.#now();
      for (const change of unit.records ?? []) {
        if ('delete' in change) deleteRecord.run(change.kind, change.id);
        else putRecord.run(change.kind, change.id, JSON.stringify(change.value), now);
      }
      for (const row of unit.cases ?? []) {
        putCase.run(row.id, row.kind, row.status, row.area ?? null, row.owner ?? null, row.correlationKey ?? null, row.openedAt, row.updatedAt, JSON.stringify(row.doc));
      }
      for (const entry of unit.history ?? []) {
        addHistory.run(entry.caseId, entry.at, entry.actor, entry.action, entry.data === undefined ? null : JSON.stringify(entry.data));
      }
      for (const id of unit.timers?.clear ?? []) clearTimer.run(id);
      for (const timer of unit.timers?.set ?? []) {
        setTimer.run(timer.id, timer.dueAt, timer.kind, timer.ref, timer.payload === undefined ? null : JSON.stringify(timer.payload));
      }
      const outboxAdded: string[] = [];
      for (const message of unit.outbox ?? []) {
        const createdAt = message.createdAt ?? now;
        if (addOutbox.run(message.id, message.channel, createdAt, createdAt, JSON.stringify(message.payload)).changes > 0) outboxAdded.push(message.id);
      }
      for (const update of unit.outboxUpdates ?? []) {
        updateOutbox.run(update.status, update.attempts, update.nextAttemptAt, update.lastError ?? null, update.id);
      }
      const audit = this.#ledger.appendInside(unit.audit ?? [], now);
      return { audit, outboxAdded };
    });
    this.#commit = (unit) => write.immediate(unit);
    this.#getCase = db.prepare('SELECT * FROM cases WHERE id = ?');
    this.#history = db.prepare('SELECT case_id, at, actor, action, data FROM case_history WHERE case_id = ? ORDER BY seq');
    this.#dueTimers = db.prepare('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?');
    this.#nextTimer = db.prepare('SELECT * FROM timers ORDER BY due_at, id LIMIT 1');
    this.#timersFor = db.prepare('SELECT * FROM timers WHERE ref = ? ORDER BY due_at, id');
    this.#dueOutbox = db.prepare(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?`);
    this.#getOutbox = db.prepare('SELECT * FROM outbox WHERE id = ?');
  }

  async commit(unit: UnitOfWork): Promise<CommitResult> {
    return guard('commit an operations change', this.#isOpen, () => this.#commit(unit));
  }

  async getCase<Doc = unknown>(id: string): Promise<CaseRow<Doc> | undefined> {
    const row = guard('read a case', this.#isOpen, () => this.#getCase.get(id) as CaseDbRow | undefined);
    return row === undefined ? undefined : caseOf<Doc>(row);
  }

  async findCases<Doc = unknown>(query: CaseQuery): Promise<Array<CaseRow<Doc>>> {
    const { where, params } = caseFilter(query);
    const limit = Math.max(1, Math.min(query.limit ?? 100, MAX_LIMIT));
    const offset = Math.max(0, query.offset ?? 0);
    const sql = `SELECT * FROM cases ${where} ORDER BY opened_at DESC, id LIMIT ${limit} OFFSET ${offset}`;
    const rows = guard('find cases', this.#isOpen, () => this.#db.prepare(sql).all(...params) as CaseDbRow[]);
    return rows.map((row) => caseOf<Doc>(row));
  }

  async countCases(query: CaseQuery): Promise<number> {
    const { where, params } = caseFilter(query);
    return guard('count cases', this.#isOpen, () => this.#db.prepare(`SELECT COUNT(*) FROM cases ${where}`).pluck().get(...params) as number);
  }

  async caseHistory(caseId: string): Promise<CaseHistoryEntry[]> {
    const rows = guard('read case history', this.#isOpen, () => this.#history.all(caseId) as Array<{ case_id: string; at: number; actor: string; action: string; data: string | null }>);
    return rows.map((row) => ({ caseId: row.case_id, at: row.at, actor: row.actor, action: row.action, ...(row.data === null ? {} : { data: JSON.parse(row.data) as Record<string, unknown> }) }));
  }

  async dueTimers(until: number, limit: number): Promise<DurableTimer[]> {
    return guard('read due timers', this.#isOpen, () => (this.#dueTimers.all(until, Math.max(1, Math.min(limit, MAX_LIMIT))) as TimerDbRow[]).map(timerOf));
  }

  async nextTimer(): Promise<DurableTimer | undefined> {
    const row = guard('read the next timer', this.#isOpen, () => this.#nextTimer.get() as TimerDbRow | undefined);
    return row === undefined ? undefined : timerOf(row);
  }

  async timersFor(ref: string): Promise<DurableTimer[]> {
    return guard('read timers', this.#isOpen, () => (this.#timersFor.all(ref) as TimerDbRow[]).map(timerOf));
  }

  async dueOutbox(until: number, limit: number): Promise<OutboxMessage[]> {
    return guard('read the outbox', this.#isOpen, () => (this.#dueOutbox.all(until, Math.max(1, Math.min(limit, MAX_LIMIT))) as OutboxDbRow[]).map(outboxOf));
  }

  async getOutbox(id: string): Promise<OutboxMessage | undefined> {
    const row = guard('read an outbox message', this.#isOpen, () => this.#getOutbox.get(id) as OutboxDbRow | undefined);
    return row === undefined ? undefined : outboxOf(row);
  }
}
