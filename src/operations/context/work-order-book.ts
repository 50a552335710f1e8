/**
 * The work-order book: an in-memory projection of the work-order events in the log (releases with their routings,
 * operation starts and completions, status changes). It answers, without touching the log, which order ran on a
 * machine at an instant and which open orders route through a machine. Applying the same event sequence always gives
 * the same book, so it is rebuilt from the log at start and kept current from the bus.
 *
 * Events may arrive out of occurrence order (an ERP release posted late, a completion re-sent): progress keeps the
 * first start and completion seen, statuses are kept in occurrence order, and a release older than the one already
 * applied is ignored.
 */
import type { CanonicalEvent } from '../../core/event.js';
import { OPERATION_COMPLETED, OPERATION_STARTED } from '../../core/pipeline/enrich.js';
import { OperationHistory, type OperationInterval } from './operation-history.js';
import { doneSince, type BookOrder, type OperationProgress } from './order-progress.js';
import { retryRouting, routingOf, type EquipmentResolver } from './work-order-routing.js';

export const WORK_ORDER_RELEASED = 'work-order.released';
export const WORK_ORDER_STATUS_CHANGED = 'work-order.status.changed';
/** The event types the book is built from. */
export const WORK_ORDER_EVENT_TYPES: readonly string[] = [WORK_ORDER_RELEASED, WORK_ORDER_STATUS_CHANGED, OPERATION_STARTED, OPERATION_COMPLETED];

export interface WorkOrderBookOptions {
  resolveEquipment: EquipmentResolver;
  /** Operation intervals kept per equipment for look-ups in the past; default 1,000. */
  intervalsPerEquipment?: number;
  /** Finished orders kept (for look-ups in the past) before the oldest-finished are dropped; default 10,000. */
  finishedOrders?: number;
}

export class WorkOrderBook {
  readonly #orders = new Map<string, BookOrder>();
  readonly #histories = new Map<string, OperationHistory>();
  /** Equipment path → ids of open orders with a routing step there: the candidates for "queued here". */
  readonly #visiting = new Map<string, Set<string>>();
  /**
   * The same for finished orders, apart, so a look-up at "now" never walks thousands of them: they matter only to a
   * look-up before the latest instant one of them finished.
   */
  readonly #visitingFinished = new Map<string, { ids: Set<string>; latestDoneAt: number }>();
  /** Ids of finished orders, oldest-finished first (a Map keeps insertion order). */
  readonly #finished = new Map<string, true>();
  /** Ids of orders whose routing names equipment not resolved yet. */
  readonly #unresolved = new Set<string>();
  readonly #resolveEquipment: EquipmentResolver;
  readonly #intervalsPerEquipment: number;
  readonly #finishedLimit: number;

  constructor(options: WorkOrderBookOptions) {
    this.#resolveEquipment = options.resolveEquipment;
    this.#intervalsPerEquipment = options.intervalsPerEquipment ?? 1_000;
    this.#finishedLimit = options.finishedOrders ?? 10_000;
  }

  /** Orders known (open and retained finished ones). */
  get size(): number {
    return this.#orders.size;
  }

  /** Learns from one event; events of other types are ignored. */
  apply(event: CanonicalEvent): void {
    const workOrder = event.subject.workOrder;
    if (workOrder === undefined) return;
    const at = Date.parse(event.occurredAt);
    if (event.type === WORK_ORDER_RELEASED) this.#released(workOrder, event, at);
    else if (event.type === OPERATION_STARTED) this.#started(workOrder, event, at);
    else if (event.type === OPERATION_COMPLETED) this.#completed(workOrder, event, at);
    else if (event.type === WORK_ORDER_STATUS_CHANGED) this.#statusChanged(workOrder, event, at);
  }

  order(workOrder: string): BookOrder | undefined {
    return this.#orders.get(workOrder);
  }

  /** The operation running on `equipment` at `at` (epoch ms), from the bounded history. */
  runningAt(equipment: string, at: number): OperationInterval | undefined {
    return this.#histories.get(equipment)?.at(at);
  }

  /**
   * Orders whose routing has a step on `equipment`: the open ones, and the finished ones unless every one of them
   * had finished by `at` (epoch ms).
   */
  *ordersVisiting(equipment: string, at = Number.NEGATIVE_INFINITY): Iterable<BookOrder> {
    for (const id of this.#visiting.get(equipment) ?? []) {
      const order = this.#orders.get(id);
      if (order !== undefined) yield order;
    }
    const finished = this.#visitingFinished.get(equipment);
    if (finished === undefined || at >= finished.latestDoneAt) return;
    for (const id of finished.ids) {
      const order = this.#orders.get(id);
      if (order !== undefined) yield order;
    }
  }

  /** Resolves routing equipment the crosswalk did not know at release but may know now; cheap when none is left. */
  retryUnresolved(): void {
    for (const id of this.#unresolved) {
      const order = this.#orders.get(id);
      if (order === undefined || order.system === undefined || order.releasedAt === undefined) {
        this.#unresolved.delete(id);
        continue;
      }
      if (!retryRouting(order.steps, order.system, order.releasedAt, this.#resolveEquipment)) continue;
      this.#index(order);
      if (order.steps.every((step) => step.resolved)) this.#unresolved.delete(id);
    }
  }

  #orderOf(workOrder: string): BookOrder {
    let order = this.#orders.get(workOrder);
    if (order === undefined) {
      order = { workOrder, steps: [], progress: new Map(), statuses: [] };
      this.#orders.set(workOrder, order);
    }
    return order;
  }

  #released(workOrder: string, event: CanonicalEvent, at: number): void {
    const order = this.#orderOf(workOrder);
    if (order.releasedAt !== undefined && at < order.releasedAt) return;
    this.#unindex(order);
    const data = event.data;
    order.releasedAt = at;
    order.system = event.source.system;
    const material = event.subject.material ?? stringOf(data['material']);
    if (material !== undefined) order.material = material;
    if (typeof data['quantity'] === 'number') order.quantity = data['quantity'];
    const dueAt = typeof data['dueAt'] === 'string' ? Date.parse(data['dueAt']) : Number.NaN;
    if (Number.isFinite(dueAt)) order.dueAt = dueAt;
    else delete order.dueAt;
    const lot = event.subject.lot ?? stringOf(data['lot']);
    if (lot !== undefined) order.lot = lot;
    order.steps = routingOf(event, this.#resolveEquipment);
    this.#index(order);
    if (order.steps.some((step) => !step.resolved)) this.#unresolved.add(workOrder);
    else this.#unresolved.delete(workOrder);
    this.#noteFinished(order);
  }

  #started(workOrder: string, event: CanonicalEvent, at: number): void {
    const order = this.#orderOf(workOrder);
    let equipment = event.subject.equipment;
    const operation = operationOf(event) ?? (equipment === undefined ? undefined : inferOperation(order, equipment));
    if (operation !== undefined) {
      const progress = progressOf(order, operation);
      progress.startedAt = Math.min(progress.startedAt ?? at, at);
      equipment ??= progress.equipment ?? order.steps.find((step) => step.operation === operation && step.resolved)?.equipment;
      if (equipment !== undefined) progress.equipment ??= equipment;
    }
    if (equipment === undefined) return;
    const lot = event.subject.lot ?? stringOf(event.data['lot']);
    this.#historyOf(equipment).started({
      workOrder,
      start: at,
      ...(operation === undefined ? {} : { operation }),
      ...(lot === undefined ? {} : { lot }),
    });
  }

  #completed(workOrder: string, event: CanonicalEvent, at: number): void {
    const order = this.#orderOf(workOrder);
    let operation = operationOf(event);
    const equipment = event.subject.equipment ?? (operation === undefined ? undefined : order.progress.get(operation)?.equipment);
    const history = equipment === undefined ? undefined : this.#historyOf(equipment);
    operation ??= history?.openOf(workOrder)?.operation;
    history?.completed(workOrder, operation, at);
    if (operation !== undefined) {
      const progress = progressOf(order, operation);
      progress.completedAt = Math.min(progress.completedAt ?? at, at);
    }
    this.#noteFinished(order);
  }

  #statusChanged(workOrder: string, event: CanonicalEvent, at: number): void {
    const status = stringOf(event.data['status']);
    if (status === undefined) return;
    const order = this.#orderOf(workOrder);
    let index = order.statuses.length;
    while (index > 0 && order.statuses[index - 1]!.at > at) index -= 1;
    order.statuses.splice(index, 0, { status, at });
    this.#noteFinished(order);
  }

  #historyOf(equipment: string): OperationHistory {
    let history = this.#histories.get(equipment);
    if (history === undefined) {
      history = new OperationHistory(this.#intervalsPerEquipment);
      this.#histories.set(equipment, history);
    }
    return history;
  }

  #index(order: BookOrder): void {
    for (const step of order.steps) {
      if (!step.resolved || step.equipment === undefined) continue;
      if (order.doneAt === undefined) {
        let ids = this.#visiting.get(step.equipment);
        if (ids === undefined) {
          ids = new Set();
          this.#visiting.set(step.equipment, ids);
        }
        ids.add(order.workOrder);
        continue;
      }
      let finished = this.#visitingFinished.get(step.equipment);
      if (finished === undefined) {
        finished = { ids: new Set(), latestDoneAt: order.doneAt };
        this.#visitingFinished.set(step.equipment, finished);
      }
      finished.ids.add(order.workOrder);
      // Never lowered when orders leave: a stale maximum only makes a past look-up walk a little more.
      finished.latestDoneAt = Math.max(finished.latestDoneAt, order.doneAt);
    }
  }

  #unindex(order: BookOrder): void {
    for (const step of order.steps) {
      if (step.equipment === undefined) continue;
      const ids = this.#visiting.get(step.equipment);
      ids?.delete(order.workOrder);
      if (ids?.size === 0) this.#visiting.delete(step.equipment);
      const finished = this.#visitingFinished.get(step.equipment);
      finished?.ids.delete(order.workOrder);
      if (finished?.ids.size === 0) this.#visitingFinished.delete(step.equipment);
    }
  }

  /** Keeps the finished set current and drops the orders that finished longest ago once over the limit. */
  #noteFinished(order: BookOrder): void {
    const doneAt = doneSince(order);
    if (doneAt !== order.doneAt) {
      this.#unindex(order);
      if (doneAt === undefined) delete order.doneAt;
      else order.doneAt = doneAt;
      this.#index(order);
    }
    if (doneAt === undefined) {
      this.#finished.delete(order.workOrder);
      return;
    }
    if (this.#finished.has(order.workOrder)) return;
    this.#finished.set(order.workOrder, true);
    for (const id of this.#finished.keys()) {
      if (this.#finished.size <= this.#finishedLimit) break;
      this.#finished.delete(id);
      const dropped = this.#orders.get(id);
      if (dropped !== undefined) this.#unindex(dropped);
      this.#orders.delete(id);
      this.#unresolved.delete(id);
    }
  }
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** The operation an event names: in its subject (canonical) or, from producers that put it there, in its data. */
function operationOf(event: CanonicalEvent): string | undefined {
  return event.subject.operation ?? stringOf(event.data['operation']);
}

/** For a start that names no operation: the first step on this equipment not completed yet. */
function inferOperation(order: BookOrder, equipment: string): string | undefined {
  return order.steps.find((step) => step.equipment === equipment && order.progress.get(step.operation)?.completedAt === undefined)?.operation;
}

function progressOf(order: BookOrder, operation: string): OperationProgress {
  let progress = order.progress.get(operation);
  if (progress === undefined) {
    progress = {};
    order.progress.set(operation, progress);
  }
  return progress;
}
