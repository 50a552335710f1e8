/**
 * The context engine (ARCHITECTURE.md §5): for a signal on a piece of equipment at an instant, what it touches —
 * the equipment and its ISA-95 levels, the order, operation and lot running on it then, the orders downstream and
 * queued with their due dates and slack, the people on shift for its area — and how urgent it is, and why.
 *
 * Routing calls `resolve` for every case it opens, so a call reads memory only: the work-order book (rebuilt from the
 * log at start, followed on the bus), the plant directory and the shift roster. No log query per call, except the
 * rare catch-up when a caller names a log position the bus has not delivered here yet.
 */
import type { ContextQuery, ContextResolver, SignalContext } from '../../core/context.js';
import type { Clock } from '../../core/clock.js';
import type { Crosswalk } from '../../core/crosswalk.js';
import { NotFoundError } from '../../core/errors.js';
import type { EventBus } from '../../core/event-bus.js';
import type { PlantModel } from '../../core/plant-model.js';
import type { EventLog } from '../../core/store.js';
import { affectedOrders } from './affected-orders.js';
import { LogFollower } from './log-follower.js';
import { PlantDirectory } from './plant-directory.js';
import { ShiftRoster } from './shift-roster.js';
import { scoreUrgency, type UrgencyInput } from './urgency.js';
import { WORK_ORDER_EVENT_TYPES, WorkOrderBook } from './work-order-book.js';

/** How often (plant time) routing steps with unknown equipment are tried against the crosswalk again. */
const RETRY_UNRESOLVED_MS = 60_000;

export interface ContextServiceOptions {
  plant: PlantModel;
  events: EventLog;
  bus: EventBus;
  /** The live crosswalk: ids in routings and queries are resolved through it. */
  crosswalk: Crosswalk;
  /** Plant time: the default instant of a query. */
  clock: Pick<Clock, 'now'>;
  limits?: {
    /** Operation intervals kept per equipment; default 1,000. */
    intervalsPerEquipment?: number;
    /** Finished orders kept for look-ups in the past; default 10,000. */
    finishedOrders?: number;
    /** Queued orders listed per context, earliest due first; default 50. */
    queuedOrders?: number;
  };
}

/** A context query that may name the log position of the signal it is for. */
export interface ContextServiceQuery extends ContextQuery {
  /**
   * The signal's position in the log: the book first takes in every work-order event up to it, so a consumer that
   * read the signal from the log before the bus delivered it here still sees the order it ran under.
   */
  position?: number;
}

export class ContextService implements ContextResolver {
  readonly #book: WorkOrderBook;
  readonly #follower: LogFollower;
  readonly #directory: PlantDirectory;
  readonly #roster: ShiftRoster;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #queuedLimit: number;
  #starting: Promise<void> | undefined;
  #retriedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ContextServiceOptions) {
    this.#directory = new PlantDirectory(options.plant, options.crosswalk);
    this.#book = new WorkOrderBook({
      resolveEquipment: (id, system, at) => this.#directory.resolveFrom(id, system, at),
      ...(options.limits?.intervalsPerEquipment === undefined ? {} : { intervalsPerEquipment: options.limits.intervalsPerEquipment }),
      ...(options.limits?.finishedOrders === undefined ? {} : { finishedOrders: options.limits.finishedOrders }),
    });
    this.#follower = new LogFollower({ events: options.events, bus: options.bus, types: WORK_ORDER_EVENT_TYPES, apply: (event) => this.#book.apply(event) });
    this.#roster = new ShiftRoster(options.plant.config);
    this.#clock = options.clock;
    this.#queuedLimit = options.limits?.queuedOrders ?? 50;
  }

  /** The work-order book (read it, do not feed it: the service does). */
  get book(): WorkOrderBook {
    return this.#book;
  }

  /** Builds the book from the log, then follows the bus. Resolves once caught up; calling again is harmless. */
  start(): Promise<void> {
    this.#starting ??= this.#follower.start();
    return this.#starting;
  }

  stop(): void {
    this.#follower.stop();
    this.#starting = undefined;
  }

  /** The canonical path of an equipment named by path, unique id or a system's id; undefined when unknown. */
  equipmentPath(idOrPath: string, at = this.#clock.now()): string | undefined {
    return this.#directory.pathOf(idOrPath, at);
  }

  /**
   * The context of a signal on `query.equipment` (a path, a unique equipment id or a system's id) at `query.at`
   * (default now, plant time).
   * @throws PF_ERR_NOT_FOUND for equipment the plant does not have
   */
  async resolve(query: ContextServiceQuery): Promise<SignalContext> {
    if (this.#starting !== undefined) await this.#starting;
    if (query.position !== undefined) await this.#follower.catchUpTo(query.position);
    const at = query.at ?? this.#clock.now();
    const path = this.#directory.pathOf(query.equipment, at);
    const info = path === undefined ? undefined : this.#directory.describe(path);
    if (path === undefined || info === undefined) {
      throw new NotFoundError('PF_ERR_NOT_FOUND', `no equipment '${query.equipment}' in this plant`, { details: { equipment: query.equipment } });
    }
    this.#retryUnresolved();
    const { running, orders } = affectedOrders(this.#book, path, at, { lineOf: (equipment) => this.#directory.lineOf(equipment), queuedLimit: this.#queuedLimit });
    const context: SignalContext = {
      at: new Date(at).toISOString(),
      equipment: {
        path,
        name: info.name,
        levels: info.levels,
        ...(info.class === undefined ? {} : { class: info.class }),
        ...(info.area === undefined ? {} : { area: info.area }),
      },
      lots: [],
      orders,
      people: this.#roster.peopleAt(info.site, info.area, at),
      urgency: scoreUrgency(urgencyInput(query, orders, running?.interval.workOrder)),
    };
    if (running !== undefined) {
      const { interval, order } = running;
      const lot = interval.lot ?? order?.lot;
      context.running = {
        workOrder: interval.workOrder,
        since: new Date(interval.start).toISOString(),
        ...(interval.operation === undefined ? {} : { operation: interval.operation }),
        ...(lot === undefined ? {} : { lot }),
        ...(order?.material === undefined ? {} : { material: order.material }),
        ...(order?.dueAt === undefined ? {} : { dueAt: new Date(order.dueAt).toISOString() }),
        ...(order?.quantity === undefined ? {} : { quantity: order.quantity }),
      };
      if (lot !== undefined) context.lots.push(lot);
    }
    return context;
  }

  #retryUnresolved(): void {
    const now = this.#clock.now();
    if (now - this.#retriedAt < RETRY_UNRESOLVED_MS) return;
    this.#retriedAt = now;
    this.#book.retryUnresolved();
  }
}

function urgencyInput(query: ContextQuery, orders: SignalContext['orders'], runningOrder: string | undefined): UrgencyInput {
  let leastSlack: UrgencyInput['leastSlack'];
  for (const order of orders) {
    if (order.slackMinutes === undefined || (leastSlack !== undefined && leastSlack.minutes <= order.slackMinutes)) continue;
    leastSlack = { minutes: order.slackMinutes, workOrder: order.workOrder };
  }
  const input: UrgencyInput = { affectedOrders: new Set(orders.map((order) => order.workOrder)).size };
  if (query.severity !== undefined) input.severity = query.severity;
  if (query.safety !== undefined) input.safety = query.safety;
  if (leastSlack !== undefined) input.leastSlack = leastSlack;
  if (runningOrder !== undefined) input.runningOrder = runningOrder;
  return input;
}
