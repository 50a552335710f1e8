/**
 * Storage for operations (ARCHITECTURE.md §5): cases and their history, durable timers (SLA deadlines, verification
 * windows), the notification outbox, and the audit ledger. Every change is one UnitOfWork committed in one
 * transaction together with the audit entries that record it, so the ledger can never miss a change nor record one
 * that did not happen.
 */
import type { AuditEntry, AuditEntryInput } from './audit.js';

/** A case as the store indexes it; `doc` is the whole case as operations shape it. */
export interface CaseRow<Doc = unknown> {
  id: string;
  kind: string;
  status: string;
  area?: string;
  owner?: string;
  /** Rule id + correlation key: open cases with the same key absorb new matching signals (flood merging). */
  correlationKey?: string;
  /** Epoch ms. */
  openedAt: number;
  updatedAt: number;
  doc: Doc;
}

export interface CaseQuery {
  status?: readonly string[];
  /** Only cases in these areas (access scoping); cases without an area match only when `includeNoArea`. */
  areas?: readonly string[];
  includeNoArea?: boolean;
  owner?: string;
  kind?: string;
  correlationKey?: string;
  /** Opened at or after, epoch ms. */
  openedFrom?: number;
  /** Opened before, epoch ms. */
  openedTo?: number;
  limit?: number;
  offset?: number;
}

/** One line of a case's history: who did what when. */
export interface CaseHistoryEntry {
  caseId: string;
  /** Epoch ms. */
  at: number;
  actor: string;
  action: string;
  data?: Record<string, unknown>;
}

/** A deadline that survives restarts: SLA targets, escalation tiers, verification windows, hand-overs. */
export interface DurableTimer {
  /** Unique; setting a timer with the same id replaces it. */
  id: string;
  /** Epoch ms (plant time). */
  dueAt: number;
  kind: string;
  /** What it is about, e.g. a case id. */
  ref: string;
  payload?: Record<string, unknown>;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** A message to deliver outside (email, webhook), kept until delivered so a crash or an outage loses nothing. */
export interface OutboxMessage {
  /** The de-duplication key: adding a message whose id exists adds nothing. */
  id: string;
  channel: string;
  /** Epoch ms. */
  createdAt: number;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms. */
  nextAttemptAt: number;
  lastError?: string;
  payload: Record<string, unknown>;
}

export interface OutboxUpdate {
  id: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export type RecordChange = { kind: string; id: string; value: unknown } | { kind: string; id: string; delete: true };

/** Everything one change writes, committed atomically. */
export interface UnitOfWork {
  records?: readonly RecordChange[];
  cases?: readonly CaseRow[];
  history?: readonly CaseHistoryEntry[];
  timers?: { set?: readonly DurableTimer[]; clear?: readonly string[] };
  outbox?: ReadonlyArray<Pick<OutboxMessage, 'id' | 'channel' | 'payload'> & { createdAt?: number }>;
  outboxUpdates?: readonly OutboxUpdate[];
  audit?: readonly AuditEntryInput[];
}

export interface CommitResult {
  /** The ledger entries written, chained. */
  audit: AuditEntry[];
  /** Ids of outbox messages that were new (not de-duplicated). */
  outboxAdded: string[];
}

export interface OperationsStore {
  /**
   * Writes the whole unit in one transaction, chaining its audit entries onto the ledger.
   * @throws PF_ERR_STORE_UNAVAILABLE when the store cannot write (nothing of the unit is written)
   */
  commit(unit: UnitOfWork): Promise<CommitResult>;
  getCase<Doc = unknown>(id: string): Promise<CaseRow<Doc> | undefined>;
  /** Newest first. */
  findCases<Doc = unknown>(query: CaseQuery): Promise<Array<CaseRow<Doc>>>;
  countCases(query: CaseQuery): Promise<number>;
  /** Oldest first. */
  caseHistory(caseId: string): Promise<CaseHistoryEntry[]>;
  /** Timers due at or before `until`, earliest first. */
  dueTimers(until: number, limit: number): Promise<DurableTimer[]>;
  /** The earliest timer, to know when to wake next. */
  nextTimer(): Promise<DurableTimer | undefined>;
  timersFor(ref: string): Promise<DurableTimer[]>;
  /** Pending messages whose next attempt is due at or before `until`, oldest first. */
  dueOutbox(until: number, limit: number): Promise<OutboxMessage[]>;
  getOutbox(id: string): Promise<OutboxMessage | undefined>;
}

export interface AuditQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  actor?: string;
  /** Matches the action itself or any action under it: `case` matches `case.assigned`. */
  action?: string;
  subjectKind?: string;
  subjectId?: string;
  afterSeq?: number;
  limit?: number;
}

/** The hash-chained, append-only ledger. Appends happen only through OperationsStore.commit. */
export interface AuditLedger {
  head(): Promise<{ seq: number; hash: string }>;
  /** Entries with seq > afterSeq, in order, exactly as stored (for verification). */
  read(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  query(query: AuditQuery): Promise<AuditEntry[]>;
}
