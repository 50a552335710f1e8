/**
 * The storage interfaces (ARCHITECTURE.md §3). Every method is async so a networked backend (PostgreSQL) fits the
 * same shape as the embedded one (SQLite). One contract suite (test/contract) runs against each implementation.
 */
import type { CanonicalEvent, Quality, Sample, StoredEvent } from './event.js';
import type { AuditLedger, OperationsStore } from './operations-store.js';

export interface AppendResult {
  /** Events newly written, with their positions, in the order given. */
  appended: StoredEvent[];
  /** Ids that were already in the log (idempotent append): nothing was written for them. */
  duplicates: string[];
}

export interface EventQuery {
  types?: string[];
  /** Matches the equipment path itself and everything below it. */
  equipment?: string;
  workOrder?: string;
  lot?: string;
  /** Inclusive lower bound on occurredAt, epoch ms. */
  from?: number;
  /** Exclusive upper bound on occurredAt, epoch ms. */
  to?: number;
  /** Only events with a position greater than this (paging cursor). */
  afterPosition?: number;
  /** Maximum rows; implementations cap it. */
  limit?: number;
  /** Latest occurrence first (occurredAt, then position, descending) instead of log order: "the last state of X". */
  newestFirst?: boolean;
}

export type Unsubscribe = () => void;

/** The durable, ordered, replayable log of canonical events. */
export interface EventLog {
  /**
   * Appends events in one transaction. Idempotent by id: an id already present is reported, not written again.
   * Resolves only once the events are durable. Positions are gap-free and increase by one per appended event.
   * @throws PF_ERR_STORE_UNAVAILABLE when the store cannot write.
   */
  append(events: readonly CanonicalEvent[]): Promise<AppendResult>;
  /** Events with position > `afterPosition`, in position order. */
  readFrom(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Events matching the filters, in position order (or newest first when asked). */
  query(query: EventQuery): Promise<StoredEvent[]>;
  /** Which of these ids are already stored. */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  /** The position of the last event, 0 when empty. */
  head(): Promise<number>;
  /** Live notification of events appended through this instance, after they are durable. */
  subscribe(listener: (events: StoredEvent[]) => void): Unsubscribe;
}

export interface SampleQuery {
  equipment: string;
  signal: string;
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  limit?: number;
}

export interface AggregateBucket {
  /** Bucket start, epoch ms. */
  ts: number;
  min: number;
  max: number;
  avg: number;
  count: number;
}

export interface SeriesInfo {
  equipment: string;
  signal: string;
  first: number;
  last: number;
  count: number;
}

/** Time-series storage for high-rate samples. */
export interface Historian {
  /** Writes a batch durably. A second sample for the same (equipment, signal, ts) is ignored and counted. */
  write(samples: readonly Sample[]): Promise<{ written: number; duplicates: number }>;
  /** Raw samples in time order. */
  range(query: SampleQuery): Promise<Array<{ ts: number; value: number; quality: Quality }>>;
  /** min/max/avg/count per bucket of `bucketMs`, aligned to the epoch. */
  aggregate(query: SampleQuery & { bucketMs: number }): Promise<AggregateBucket[]>;
  /** The series known, optionally below an equipment path. */
  series(equipmentPrefix?: string): Promise<SeriesInfo[]>;
  /** Deletes samples older than `beforeTs`; returns how many went. */
  deleteBefore(beforeTs: number): Promise<number>;
}

export type DeadLetterStage = 'decode' | 'validate' | 'dedupe' | 'resolve' | 'persist' | 'publish' | 'engine' | 'connector';
export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

export interface DeadLetterInput {
  stage: DeadLetterStage;
  /** A `PF_ERR_*` code. */
  code: string;
  message: string;
  /** The bytes exactly as received, so a replay after a config fix sees the same input. */
  raw: Uint8Array;
  contentType: string;
  source: { system?: string; connector?: string; address?: string };
  engineId?: string;
  eventId?: string;
  details?: unknown;
}

export interface DeadLetter extends DeadLetterInput {
  id: string;
  createdAt: number;
  status: DeadLetterStatus;
  attempts: number;
  lastAttemptAt?: number;
  resolvedAt?: number;
}

export interface DeadLetterQuery {
  status?: DeadLetterStatus;
  stage?: DeadLetterStage;
  engineId?: string;
  limit?: number;
  /** Paging: only entries created after this entry id's creation. */
  afterId?: string;
}

/** Input that could not be accepted, kept with its evidence until replayed or discarded. */
export interface DeadLetterStore {
  add(entry: DeadLetterInput): Promise<DeadLetter>;
  get(id: string): Promise<DeadLetter | undefined>;
  list(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  count(status?: DeadLetterStatus): Promise<number>;
  /** Records the outcome of a replay attempt: resolved (status replayed) or failed again with a new reason. */
  recordAttempt(id: string, outcome: { ok: true } | { ok: false; code: string; message: string }): Promise<DeadLetter>;
  discard(id: string): Promise<DeadLetter>;
}

/** Generic document storage for entities, users, sessions, tokens and runtime crosswalk entries. */
export interface RecordStore {
  put<T>(kind: string, id: string, value: T): Promise<void>;
  get<T>(kind: string, id: string): Promise<T | undefined>;
  list<T>(kind: string): Promise<Array<{ id: string; value: T }>>;
  delete(kind: string, id: string): Promise<boolean>;
}

/** Durable per-consumer positions (engine checkpoints). */
export interface CheckpointStore {
  getCheckpoint(consumer: string): Promise<number>;
  setCheckpoint(consumer: string, position: number): Promise<void>;
  listCheckpoints(): Promise<Array<{ consumer: string; position: number }>>;
}

export interface QueuedBatch {
  seq: number;
  kind: 'events' | 'samples';
  /** The batch as JSON, exactly as the connector produced it. */
  payload: string;
}

/**
 * Store-and-forward for one connector: a bounded, durable FIFO of batches that could not be ingested (store away,
 * back-pressure), drained in order when ingest works again.
 */
export interface ForwardQueue {
  /**
   * Appends a batch; false when the queue is full (the caller reports the overflow).
   * @throws PF_ERR_STORE_UNAVAILABLE when the queue file itself cannot be written
   */
  push(kind: QueuedBatch['kind'], payload: string): Promise<boolean>;
  /** The oldest batches, in order. */
  peek(limit: number): Promise<QueuedBatch[]>;
  /** Removes a delivered batch. */
  remove(seq: number): Promise<void>;
  /** Batches waiting. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** The bundle a backend provides; runtime picks one explicitly from config. */
export interface Stores {
  events: EventLog;
  historian: Historian;
  deadLetters: DeadLetterStore;
  records: RecordStore;
  checkpoints: CheckpointStore;
  /** Cases, timers, outbox and audit, committed together. */
  operations: OperationsStore;
  audit: AuditLedger;
  /** Flushes and closes; further calls fail with PF_ERR_STORE_UNAVAILABLE. */
  close(): Promise<void>;
}
