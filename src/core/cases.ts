/**
 * Cases (ARCHITECTURE.md §5): the record of one issue from the signal that raised it until it is verified closed.
 * The shape lives in core because the API serves what operations/cases writes; the lifecycle, routing and clocks
 * that fill it live in src/operations/cases (docs/cases.md).
 */
import type { Principal } from './access.js';
import type { SignalContext, Severity, Urgency } from './context.js';
import type { CaseHistoryEntry } from './operations-store.js';

export const CASE_STATUSES = ['open', 'assigned', 'acknowledged', 'in-progress', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which a case still needs someone: everything but closed. */
export const LIVE_CASE_STATUSES: readonly CaseStatus[] = ['open', 'assigned', 'acknowledged', 'in-progress', 'resolved'];

export const CASE_ACTIONS = ['assign', 'acknowledge', 'start', 'resolve', 'close', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** A reference to an event the case absorbed. */
export interface CaseEventRef {
  id: string;
  /** ISO 8601, the event's occurredAt. */
  at: string;
  type: string;
}

/** The signals merged into the case (ISA-18.2 flood and chattering count). */
export interface CaseLinkedEvents {
  first: CaseEventRef;
  last: CaseEventRef;
  count: number;
  /** The latest ids, newest last, at most 20. */
  recent: string[];
  /** Log position of the last signal applied, so re-reading the log after a restart never counts one twice. */
  lastPosition: number;
}

/** Whether the condition that raised the case is active; only for rules with a `clear`. */
export interface CaseCondition {
  active: boolean;
  /** ISO 8601: since when it has been active or clear. */
  since: string;
}

export interface CaseComment {
  id: string;
  at: string;
  author: string;
  text: string;
}

/** A document kept elsewhere, by reference: a URL or a document id of another system. */
export interface CaseAttachment {
  id: string;
  at: string;
  author: string;
  name: string;
  url?: string;
  documentId?: string;
}

export interface CaseHandover {
  at: string;
  from: string;
  to: string;
  /** The incoming shift id. */
  shift: string;
}

export interface CaseEscalation {
  /** Index into the rule's escalation list. */
  tier: number;
  /** The tier's `after`: an SLA target or a duration. */
  after: string;
  at: string;
  notified: string[];
  /** 0 for the first life of the case, n after the n-th reopen. */
  cycle: number;
}

export interface CaseSla {
  /** ISO 8601 deadlines of the current cycle. */
  assignBy?: string;
  acknowledgeBy?: string;
  resolveBy?: string;
  breached: Array<{ target: 'assign' | 'acknowledge' | 'resolve'; deadline: string; at: string; cycle: number }>;
}

export interface CaseVerification {
  /** The rule's verification window, ms. */
  windowMs: number;
  /** ISO 8601: when the condition will have been clear for the window (unset while it is active). */
  completesAt?: string;
}

export interface CaseDoc {
  id: string;
  /** The routing rule that opened it. */
  rule: string;
  kind: string;
  title: string;
  severity: Severity;
  safety: boolean;
  status: CaseStatus;
  site?: string;
  area?: string;
  equipment?: string;
  workOrder?: string;
  owner?: string;
  watchers: string[];
  correlationKey: string;
  /** Increases by one with every committed change; makes notification keys and event ids unique and stable. */
  revision: number;
  /** Incremented by each reopen; SLA clocks and escalation tiers restart per cycle. */
  cycle: number;
  reopenCount: number;
  openedAt: string;
  updatedAt: string;
  assignedAt?: string;
  acknowledgedAt?: string;
  startedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  /** Firsts over the whole life of the case, for the metrics. */
  first: { assignedAt?: string; acknowledgedAt?: string; resolvedAt?: string };
  resolution?: string;
  events: CaseLinkedEvents;
  condition?: CaseCondition;
  verification?: CaseVerification;
  context?: SignalContext;
  contextError?: string;
  urgency: Pick<Urgency, 'score' | 'level' | 'explanation'>;
  sla: CaseSla;
  escalations: CaseEscalation[];
  comments: CaseComment[];
  attachments: CaseAttachment[];
  handovers: CaseHandover[];
}

export interface CaseListQuery {
  status?: readonly CaseStatus[];
  area?: string;
  owner?: string;
  kind?: string;
  /** Opened at or after, epoch ms. */
  from?: number;
  /** Opened before, epoch ms. */
  to?: number;
  /** Only these areas (the caller's grants); undefined for the whole plant. */
  areas?: readonly string[];
  limit?: number;
  offset?: number;
}

export interface CaseTransitionInput {
  action: CaseAction;
  actor: Principal;
  reason?: string;
  /** For assign: the new owner. */
  owner?: string;
  /** For resolve: what was done. */
  resolution?: string;
}

export interface Percentiles {
  count: number;
  /** Seconds; null when no case got there. */
  p50: number | null;
  p90: number | null;
  mean: number | null;
}

export interface CaseMetrics {
  from: string;
  to: string;
  opened: number;
  timeToFirstAssignment: Percentiles;
  timeToAcknowledge: Percentiles;
  timeToResolve: Percentiles;
  /** Cases with at least one SLA breach / cases opened. */
  slaBreachRate: number | null;
  /** Cases reopened at least once / cases opened. */
  reopenRate: number | null;
  byArea: Record<string, number>;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
}

/** What the API needs of cases; implemented by operations/cases. */
export interface CaseApi {
  list(query: CaseListQuery): Promise<CaseDoc[]>;
  get(id: string): Promise<{ case: CaseDoc; history: CaseHistoryEntry[] } | undefined>;
  /**
   * @throws PF_ERR_CASE_NOT_FOUND, PF_ERR_CASE_TRANSITION (not from this status), PF_ERR_ACCESS_DENIED (not the
   * owner, a supervisor of the area or an admin), PF_ERR_CASE_NOT_VERIFIED (close before verification completes)
   */
  transition(id: string, input: CaseTransitionInput): Promise<CaseDoc>;
  /** @throws PF_ERR_CASE_NOT_FOUND */
  comment(id: string, input: { actor: Principal; text: string }): Promise<CaseDoc>;
  /** @throws PF_ERR_CASE_NOT_FOUND */
  attach(id: string, input: { actor: Principal; name: string; url?: string; documentId?: string }): Promise<CaseDoc>;
  metrics(query: { from: number; to: number; areas?: readonly string[] }): Promise<CaseMetrics>;
}
