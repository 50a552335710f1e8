/**
 * Stage 5, enrich: an event about a machine learns the work order, operation and lot running on that machine when it
 * occurred, unless its producer named them. The machine's PLC or OPC UA server rarely knows the order it is making;
 * the MES or the operator's order tag does. Joining them here means every stop, count, alarm and measurement in the
 * log already carries its order (mission §3), and nothing downstream has to guess.
 *
 * The running operations are learned from `work-order.operation.started` / `.completed` events as they pass, in log
 * order, and rebuilt from the log at start.
 */
import type { CanonicalEvent, EventSubject } from '../event.js';

export const OPERATION_STARTED = 'work-order.operation.started';
export const OPERATION_COMPLETED = 'work-order.operation.completed';

export interface RunningOperation {
  workOrder: string;
  operation?: string;
  lot?: string;
  /** When it started, epoch ms. */
  since: number;
}

export class RunningOperations {
  readonly #byEquipment = new Map<string, RunningOperation>();

  /** Learns from an operation event, or fills the subject of any other event; returns the event to store. */
  apply(event: CanonicalEvent): CanonicalEvent {
    const equipment = event.subject.equipment;
    if (equipment === undefined) return event;
    if (event.type === OPERATION_STARTED || event.type === OPERATION_COMPLETED) {
      this.observe(event);
      return event;
    }
    return this.enrich(event);
  }

  /** Updates what runs where from an operation event. A start replaces whatever ran before on that machine. */
  observe(event: CanonicalEvent): void {
    const equipment = event.subject.equipment;
    const workOrder = event.subject.workOrder;
    if (equipment === undefined || workOrder === undefined) return;
    const at = Date.parse(event.occurredAt);
    const current = this.#byEquipment.get(equipment);
    // Sources disagree on order: a late completion of an older order must not end the newer one.
    if (current !== undefined && at < current.since) return;
    if (event.type === OPERATION_STARTED) {
      this.#byEquipment.set(equipment, {
        workOrder,
        since: at,
        ...(event.subject.operation === undefined ? {} : { operation: event.subject.operation }),
        ...(event.subject.lot === undefined ? {} : { lot: event.subject.lot }),
      });
    } else if (current !== undefined && current.workOrder === workOrder) {
      this.#byEquipment.delete(equipment);
    }
  }

  /** Fills workOrder, operation and lot when absent and something was running on the machine at the event's time. */
  enrich(event: CanonicalEvent): CanonicalEvent {
    const equipment = event.subject.equipment;
    if (equipment === undefined || event.subject.workOrder !== undefined) return event;
    const running = this.#byEquipment.get(equipment);
    if (running === undefined || Date.parse(event.occurredAt) < running.since) return event;
    const subject: EventSubject = { ...event.subject, workOrder: running.workOrder };
    if (running.operation !== undefined && subject.operation === undefined) subject.operation = running.operation;
    if (running.lot !== undefined && subject.lot === undefined) subject.lot = running.lot;
    return { ...event, subject };
  }

  /** What runs on a machine now. */
  current(equipment: string): RunningOperation | undefined {
    return this.#byEquipment.get(equipment);
  }
}
