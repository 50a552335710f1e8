/**
 * Which orders a signal on one machine touches at an instant (docs/api.md#context):
 * - running: the order whose operation ran on the machine then;
 * - downstream: that order's later operations, not completed then, wherever they run;
 * - queued: other released, unfinished orders that are coming to this machine: their next open operation is on it,
 *   or is upstream of it on the same line and their routing visits it later.
 * Each carries its due date and slack (due − at − remaining planned minutes). Reads the book only; no log queries.
 */
import type { AffectedOrder } from '../../core/context.js';
import type { OperationInterval } from './operation-history.js';
import { completedBy, isDoneAt, nextOpenStep, slackMinutes, stepIndex, type BookOrder } from './order-progress.js';
import type { WorkOrderBook } from './work-order-book.js';

export interface AffectedOrdersOptions {
  /** The line (work center) path an equipment path lies on, undefined when it is on none. */
  lineOf: (equipment: string) => string | undefined;
  /** At most this many queued orders are listed, the earliest due first; default 50. */
  queuedLimit?: number;
}

export interface OrdersAt {
  running?: { interval: OperationInterval; order?: BookOrder };
  orders: AffectedOrder[];
}

/** The orders touched by a signal on `equipment` at `at` (epoch ms): running first, then downstream, then queued. */
export function affectedOrders(book: WorkOrderBook, equipment: string, at: number, options: AffectedOrdersOptions): OrdersAt {
  const orders: AffectedOrder[] = [];
  const interval = book.runningAt(equipment, at);
  const runningOrder = interval === undefined ? undefined : book.order(interval.workOrder);
  if (interval !== undefined) {
    orders.push(entryOf(interval.workOrder, runningOrder, 'running', interval.operation, equipment, at));
    if (runningOrder !== undefined) orders.push(...downstreamOf(runningOrder, interval, equipment, at));
  }
  orders.push(...queuedAt(book, equipment, at, interval?.workOrder, options));
  const result: OrdersAt = { orders };
  if (interval !== undefined) result.running = runningOrder === undefined ? { interval } : { interval, order: runningOrder };
  return result;
}

function downstreamOf(order: BookOrder, interval: OperationInterval, equipment: string, at: number): AffectedOrder[] {
  let index = stepIndex(order, interval.operation);
  // A start that named no operation the routing knows: place it at the first open step on this machine.
  if (index < 0) index = order.steps.findIndex((step) => step.equipment === equipment && !completedBy(order, step.operation, at));
  if (index < 0) return [];
  const downstream: AffectedOrder[] = [];
  for (const step of order.steps.slice(index + 1)) {
    if (completedBy(order, step.operation, at)) continue;
    downstream.push(entryOf(order.workOrder, order, 'downstream', step.operation, step.equipment, at));
  }
  return downstream;
}

function queuedAt(book: WorkOrderBook, equipment: string, at: number, running: string | undefined, options: AffectedOrdersOptions): AffectedOrder[] {
  const line = options.lineOf(equipment);
  const queued: Array<{ order: BookOrder; operation: string }> = [];
  for (const order of book.ordersVisiting(equipment, at)) {
    // Finished orders stay indexed for look-ups in the past; skipping them here keeps a look-up at "now" cheap.
    if (order.doneAt !== undefined && order.doneAt <= at) continue;
    if (order.workOrder === running || order.releasedAt === undefined || order.releasedAt > at || isDoneAt(order, at)) continue;
    const next = nextOpenStep(order, at);
    if (next < 0) continue;
    const nextStep = order.steps[next]!;
    if (nextStep.equipment === equipment) {
      queued.push({ order, operation: nextStep.operation });
      continue;
    }
    if (line === undefined || !nextStep.resolved || nextStep.equipment === undefined || options.lineOf(nextStep.equipment) !== line) continue;
    const here = order.steps.slice(next + 1).find((step) => step.equipment === equipment);
    if (here !== undefined) queued.push({ order, operation: here.operation });
  }
  // Sorted and cut before the entries are built: only the listed ones pay for slack and formatting.
  queued.sort((a, b) => byDueDate(a.order, b.order));
  return queued.slice(0, options.queuedLimit ?? 50).map(({ order, operation }) => entryOf(order.workOrder, order, 'queued', operation, equipment, at));
}

function entryOf(workOrder: string, order: BookOrder | undefined, relation: AffectedOrder['relation'], operation: string | undefined, equipment: string | undefined, at: number): AffectedOrder {
  const entry: AffectedOrder = { workOrder, relation };
  if (operation !== undefined) entry.operation = operation;
  if (equipment !== undefined) entry.equipment = equipment;
  if (order === undefined) return entry;
  if (order.material !== undefined) entry.material = order.material;
  if (order.quantity !== undefined) entry.quantity = order.quantity;
  if (order.dueAt !== undefined) entry.dueAt = new Date(order.dueAt).toISOString();
  const slack = slackMinutes(order, at);
  if (slack !== undefined) entry.slackMinutes = slack;
  return entry;
}

/** Earliest due first, undated last, then by id so the order is stable. */
function byDueDate(a: BookOrder, b: BookOrder): number {
  const dueA = a.dueAt ?? Number.POSITIVE_INFINITY;
  const dueB = b.dueAt ?? Number.POSITIVE_INFINITY;
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return a.workOrder < b.workOrder ? -1 : a.workOrder > b.workOrder ? 1 : 0;
}
