/**
 * The ERP side of the demo plant: work orders released for each shift (a while before it starts) with a quantity,
 * a due date and a routing across the machines of a line, plus the orders still in work at the start instant.
 */
import type { SimConfig } from '../config.js';
import { Random, type Seed } from '../random.js';
import type { ShiftCalendar, Shift } from './shifts.js';
import type { RoutingStep, WorkOrder } from './types.js';

const MINUTE_MS = 60_000;

/** Each line's routing: its machines in config order, operations 10, 20, 30, ... */
export function lineRoutings(config: SimConfig): Map<string, RoutingStep[]> {
  const routings = new Map<string, RoutingStep[]>();
  for (const machine of config.machines) {
    if (machine.line === undefined) continue;
    const routing = routings.get(machine.line) ?? [];
    routing.push({
      operation: (routing.length + 1) * 10,
      equipment: machine.id,
      standardCycleSeconds: config.machineClasses[machine.class]?.cycleSeconds ?? 0,
    });
    routings.set(machine.line, routing);
  }
  return routings;
}

/** Creates the work orders ERP releases, shift by shift. */
export class OrderBook {
  readonly #config: SimConfig['erp'];
  readonly #calendar: ShiftCalendar;
  readonly #routings: Map<string, RoutingStep[]>;
  readonly #rngs = new Map<string, Random>();
  readonly #leadMs: number;
  #next: number;

  constructor(config: SimConfig, calendar: ShiftCalendar, seed: Seed) {
    this.#config = config.erp;
    this.#calendar = calendar;
    this.#routings = lineRoutings(config);
    this.#leadMs = config.erp.releaseLeadMinutes * MINUTE_MS;
    this.#next = config.erp.firstOrderNumber;
    for (const line of this.#routings.keys()) this.#rngs.set(line, new Random(seed, 'erp', line));
  }

  /** The orders in work when the simulation starts, released at the start instant. */
  carryOver(start: number): WorkOrder[] {
    return this.#release(this.#calendar.shiftAt(start), start, this.#config.carryOverOrders);
  }

  /** Orders released in the interval (from, to]: those of every shift starting within the lead time after it. */
  releasesBetween(from: number, to: number): WorkOrder[] {
    return this.#calendar
      .startsBetween(from + this.#leadMs, to + this.#leadMs)
      .flatMap((shift) => this.#release(shift, shift.start - this.#leadMs, this.#config.ordersPerShift));
  }

  #release(shift: Shift, at: number, perLine: number): WorkOrder[] {
    const orders: WorkOrder[] = [];
    for (const [line, routing] of this.#routings) {
      const rng = this.#rngs.get(line)!;
      const product = this.#config.products[line]!;
      for (let index = 0; index < perLine; index += 1) {
        let due = shift;
        for (let later = rng.int(this.#config.dueShifts[0], this.#config.dueShifts[1]); later > 0; later -= 1) due = this.#calendar.shiftAt(due.end);
        const quantity = rng.int(this.#config.quantity[0], this.#config.quantity[1]);
        orders.push({
          id: `WO-${this.#next}`,
          line,
          material: product.material,
          rawMaterial: product.rawMaterial,
          quantity,
          releasedAt: new Date(at).toISOString(),
          dueDate: new Date(due.end).toISOString(),
          shift: shift.id,
          // Planned minutes per operation, as ERP plans them from the standard cycle: what slack is computed from.
          routing: routing.map((step) => ({ ...step, minutes: Math.round((step.standardCycleSeconds * quantity) / 6) / 10 })),
        });
        this.#next += 1;
      }
    }
    return orders;
  }
}
