/**
 * A work order as the book knows it, and the questions asked of it *as of an instant*: was it done then, which
 * operation was next, how much planned work was left and how much slack. Every answer takes the instant, because a
 * context is resolved for the time a signal occurred, which may lie in the past. Pure functions, tested alone.
 */
import type { RoutingStep } from './work-order-routing.js';

const MINUTE_MS = 60_000;

/** Statuses (case-insensitive) after which an order waits for nothing; any other status leaves it open. */
export const DONE_STATUSES: ReadonlySet<string> = new Set(['complete', 'completed', 'closed', 'cancelled', 'canceled', 'finished', 'technically-complete']);

export interface OperationProgress {
  /** Epoch ms of the first start seen. */
  startedAt?: number;
  /** Epoch ms of the first completion seen. */
  completedAt?: number;
  /** Where it ran, when the start named it. */
  equipment?: string;
}

export interface BookOrder {
  readonly workOrder: string;
  /** Epoch ms of the release; undefined when operation events came but no release (yet). */
  releasedAt?: number;
  /** The source system of the release, whose ids the routing uses. */
  system?: string;
  material?: string;
  quantity?: number;
  /** Epoch ms. */
  dueAt?: number;
  lot?: string;
  steps: RoutingStep[];
  /** By operation. */
  progress: Map<string, OperationProgress>;
  /** Status changes, in occurrence order. */
  statuses: Array<{ status: string; at: number }>;
  /** Epoch ms from which the order is done, as far as the book knows now; lets look-ups skip it cheaply. */
  doneAt?: number;
}

/** The status the order had at `at`, if any was reported by then. */
export function statusAt(order: BookOrder, at: number): string | undefined {
  let status: string | undefined;
  for (const change of order.statuses) {
    if (change.at > at) break;
    status = change.status;
  }
  return status;
}

/** True when the operation had completed at `at`. */
export function completedBy(order: BookOrder, operation: string, at: number): boolean {
  const completedAt = order.progress.get(operation)?.completedAt;
  return completedAt !== undefined && completedAt <= at;
}

/** The first instant the order counts as done (a done status, or its last step completed); undefined while open. */
export function doneSince(order: BookOrder): number | undefined {
  let since: number | undefined;
  for (const change of order.statuses) {
    const done = DONE_STATUSES.has(change.status.toLowerCase());
    if (done && since === undefined) since = change.at;
    else if (!done) since = undefined;
  }
  if (order.steps.length === 0) return since;
  let lastCompletion = Number.NEGATIVE_INFINITY;
  for (const step of order.steps) {
    const completedAt = order.progress.get(step.operation)?.completedAt;
    if (completedAt === undefined) return since;
    lastCompletion = Math.max(lastCompletion, completedAt);
  }
  return since === undefined ? lastCompletion : Math.min(since, lastCompletion);
}

/** True when, at `at`, the order was reported done or every step of its routing had completed. */
export function isDoneAt(order: BookOrder, at: number): boolean {
  const status = statusAt(order, at);
  if (status !== undefined && DONE_STATUSES.has(status.toLowerCase())) return true;
  return order.steps.length > 0 && order.steps.every((step) => completedBy(order, step.operation, at));
}

/** Index of the first routing step not completed at `at`; -1 when none is left. */
export function nextOpenStep(order: BookOrder, at: number): number {
  return order.steps.findIndex((step) => !completedBy(order, step.operation, at));
}

/** Index of the step with this operation, -1 when the routing has none. */
export function stepIndex(order: BookOrder, operation: string | undefined): number {
  return operation === undefined ? -1 : order.steps.findIndex((step) => step.operation === operation);
}

/**
 * Planned minutes still ahead at `at`: every step not completed by then, a started one counted with its planned
 * duration less the time since it started (never below zero). Steps without planned minutes count zero.
 */
export function remainingMinutes(order: BookOrder, at: number): number {
  let remaining = 0;
  for (const step of order.steps) {
    const progress = order.progress.get(step.operation);
    if (progress?.completedAt !== undefined && progress.completedAt <= at) continue;
    const planned = step.minutes ?? 0;
    const startedAt = progress?.startedAt;
    remaining += startedAt !== undefined && startedAt <= at ? Math.max(0, planned - (at - startedAt) / MINUTE_MS) : planned;
  }
  return remaining;
}

/** Minutes between `at` plus the remaining planned work and the due date, rounded; negative is late. */
export function slackMinutes(order: BookOrder, at: number): number | undefined {
  if (order.dueAt === undefined) return undefined;
  const slack = Math.round((order.dueAt - at) / MINUTE_MS - remainingMinutes(order, at));
  return slack === 0 ? 0 : slack; // no -0 in JSON or assertions
}
