/**
 * The audit ledger's entries and the hash chain that makes it tamper-evident (ARCHITECTURE.md §5): each entry holds
 * the SHA-256 of the previous one, computed over canonical JSON, so editing, inserting or deleting any entry breaks
 * every link after it. Stores append entries in the same transaction as the change they record.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './pipeline/event-id.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditSubject {
  /** What kind of thing changed: case, crosswalk, user, session, config, deadletter, notification, ... */
  kind: string;
  id: string;
}

/** What a change records about itself. */
export interface AuditEntryInput {
  /** User id, `system`, or `engine:<id>` / `connector:<id>`. */
  actor: string;
  /** Dotted, past tense: `case.assigned`, `crosswalk.entry.added`, `auth.login.succeeded`. */
  action: string;
  subject?: AuditSubject;
  /** Why, in the actor's words or the rule's. */
  reason?: string;
  data?: Record<string, unknown>;
  /** Epoch ms; default the store's clock. */
  at?: number;
}

/** An entry as stored: numbered, timed and chained. */
export interface AuditEntry {
  seq: number;
  /** ISO 8601. */
  at: string;
  actor: string;
  action: string;
  subject?: AuditSubject;
  reason?: string;
  data?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The hash of an entry: SHA-256 (hex) over the canonical JSON of everything but the hash itself. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, reason, data, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, subject, reason, data, prevHash })).digest('hex');
}

/** Builds the stored entry that follows `previous` (seq and hash), the one function every backend uses. */
export function chainAuditEntry(input: AuditEntryInput, previous: { seq: number; hash: string }, now: number): AuditEntry {
  const unhashed: Omit<AuditEntry, 'hash'> = {
    seq: previous.seq + 1,
    at: new Date(input.at ?? now).toISOString(),
    actor: input.actor,
    action: input.action,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.data === undefined ? {} : { data: input.data }),
    prevHash: previous.hash,
  };
  return { ...unhashed, hash: hashAuditEntry(unhashed) };
}

export type AuditVerification =
  | { ok: true; entries: number; head: { seq: number; hash: string } }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/**
 * Walks entries in order and reports the first broken link: an entry whose own hash does not match its content
 * (edited), whose prevHash is not the previous entry's hash (inserted, deleted or reordered), or a gap in seq.
 */
export class AuditChainVerifier {
  #previous = { seq: 0, hash: GENESIS_HASH };
  #entries = 0;
  #broken: { seq: number; reason: string } | undefined;

  /** Feeds the next entry; returns false once the chain is broken (further entries are not examined). */
  push(entry: AuditEntry): boolean {
    if (this.#broken !== undefined) return false;
    this.#entries += 1;
    if (entry.seq !== this.#previous.seq + 1) {
      this.#broken = { seq: entry.seq, reason: `expected entry ${this.#previous.seq + 1} next, found ${entry.seq} (entries missing or reordered)` };
    } else if (entry.prevHash !== this.#previous.hash) {
      this.#broken = { seq: entry.seq, reason: `entry ${entry.seq} does not link to entry ${this.#previous.seq}: prevHash ${entry.prevHash.slice(0, 12)}… but that entry's hash is ${this.#previous.hash.slice(0, 12)}…` };
    } else if (hashAuditEntry(entry) !== entry.hash) {
      this.#broken = { seq: entry.seq, reason: `entry ${entry.seq} was altered: its content no longer matches its hash` };
    } else {
      this.#previous = { seq: entry.seq, hash: entry.hash };
      return true;
    }
    return false;
  }

  result(): AuditVerification {
    if (this.#broken !== undefined) return { ok: false, entries: this.#entries, brokenAt: this.#broken.seq, reason: this.#broken.reason };
    return { ok: true, entries: this.#entries, head: { ...this.#previous } };
  }
}
