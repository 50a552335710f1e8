/**
 * The hash-chained audit ledger on SQLite. Entries are appended only inside an OperationsStore commit (appendInside),
 * so they share the transaction of the change they record; every field has its own column and verification rebuilds
 * the entry from exactly those columns.
 */
import type { Statement } from 'better-sqlite3';
import { chainAuditEntry, GENESIS_HASH, type AuditEntry, type AuditEntryInput } from '../../core/audit.js';
import type { AuditLedger, AuditQuery } from '../../core/operations-store.js';
import { guard, type SqliteDatabase } from './sqlite-database.js';

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  reason: string | null;
  data: string | null;
  prev_hash: string;
  hash: string;
}

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

function entryOf(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    ...(row.subject_kind === null || row.subject_id === null ? {} : { subject: { kind: row.subject_kind, id: row.subject_id } }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.data === null ? {} : { data: JSON.parse(row.data) as Record<string, unknown> }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export class SqliteAuditLedger implements AuditLedger {
  readonly #db: SqliteDatabase;
  readonly #isOpen: () => boolean;
  readonly #head: Statement;
  readonly #insert: Statement;
  readonly #read: Statement;

  constructor(db: SqliteDatabase, isOpen: () => boolean) {
    this.#db = db;
    this.#isOpen = isOpen;
    this.#head = db.prepare('SELECT seq, hash FROM audit_ledger ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare(
      'INSERT INTO audit_ledger (seq, at, actor, action, subject_kind, subject_id, reason, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#read = db.prepare('SELECT * FROM audit_ledger WHERE seq > ? ORDER BY seq LIMIT ?');
  }

  /** Chains and writes entries; call only inside a write transaction (it reads the head it links to). */
  appendInside(inputs: readonly AuditEntryInput[], now: number): AuditEntry[] {
    let previous = (this.#head.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
    return inputs.map((input) => {
      const entry = chainAuditEntry(input, previous, now);
      this.#insert.run(
        entry.seq,
        Date.parse(entry.at),
        entry.actor,
        entry.action,
        entry.subject?.kind ?? null,
        entry.subject?.id ?? null,
        entry.reason ?? null,
        entry.data === undefined ? null : JSON.stringify(entry.data),
        entry.prevHash,
        entry.hash,
      );
      previous = entry;
      return entry;
    });
  }

  async head(): Promise<{ seq: number; hash: string }> {
    return guard('read the audit head', this.#isOpen, () => (this.#head.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH });
  }

  async read(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = guard('read the audit ledger', this.#isOpen, () => this.#read.all(afterSeq, Math.max(1, Math.min(limit, MAX_LIMIT))) as AuditRow[]);
    return rows.map(entryOf);
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.from !== undefined) { where.push('at >= ?'); params.push(query.from); }
    if (query.to !== undefined) { where.push('at < ?'); params.push(query.to); }
    if (query.actor !== undefined) { where.push('actor = ?'); params.push(query.actor); }
    if (query.action !== undefined) { where.push('(action = ? OR action LIKE ?)'); params.push(query.action, `${query.action.replace(/[%_]/g, '')}.%`); }
    if (query.subjectKind !== undefined) { where.push('subject_kind = ?'); params.push(query.subjectKind); }
    if (query.subjectId !== undefined) { where.push('subject_id = ?'); params.push(query.subjectId); }
    if (query.afterSeq !== undefined) { where.push('seq > ?'); params.push(query.afterSeq); }
    const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
    const sql = `SELECT * FROM audit_ledger ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${limit}`;
    const rows = guard('query the audit ledger', this.#isOpen, () => this.#db.prepare(sql).all(...params) as AuditRow[]);
    return rows.map(entryOf);
  }
}
