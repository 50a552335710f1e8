/**
 * Keeps every machine's live status from the log: rebuilt at start from each machine's latest status events, then
 * followed on the bus. Subscribing before the catch-up means nothing that arrives meanwhile is missed; applying an
 * event twice is harmless because statuses only move forward in occurrence time.
 */
import type { EventBus } from '../../core/event-bus.js';
import type { StoredEvent } from '../../core/event.js';
import type { PlantModel } from '../../core/plant-model.js';
import type { EquipmentStatus, PlantStatusReader } from '../../core/plant-status.js';
import type { EventLog, Unsubscribe } from '../../core/store.js';
import { applyStatusEvent, emptyStatus, isStatusEvent, STATUS_EVENT_TYPES } from './status-reducer.js';

/** Enough recent history per machine to know its state, order and open alarms. */
const CATCH_UP_PER_EQUIPMENT = 200;

export class PlantStatusService implements PlantStatusReader {
  readonly #statuses = new Map<string, EquipmentStatus>();
  readonly #events: EventLog;
  readonly #bus: EventBus;
  readonly #plant: PlantModel;
  #unsubscribe: Unsubscribe | undefined;

  constructor(options: { events: EventLog; bus: EventBus; plant: PlantModel }) {
    this.#events = options.events;
    this.#bus = options.bus;
    this.#plant = options.plant;
  }

  async start(): Promise<void> {
    const pending: StoredEvent[] = [];
    let live = false;
    this.#unsubscribe = this.#bus.subscribe((events) => {
      for (const event of events) {
        if (!isStatusEvent(event.type)) continue;
        if (live) this.#apply(event);
        else pending.push(event);
      }
    });
    for (const node of this.#plant.nodesAt('equipment')) {
      const recent = await this.#events.query({ equipment: node.path, types: [...STATUS_EVENT_TYPES], newestFirst: true, limit: CATCH_UP_PER_EQUIPMENT });
      // Below-path events (a spindle under a machine) belong to their own node, not this one.
      for (const event of recent.reverse()) if (event.subject.equipment === node.path) this.#apply(event);
    }
    live = true;
    for (const event of pending) this.#apply(event);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  all(): EquipmentStatus[] {
    return [...this.#statuses.values()].sort((a, b) => a.equipment.localeCompare(b.equipment));
  }

  get(equipment: string): EquipmentStatus | undefined {
    return this.#statuses.get(equipment);
  }

  #apply(event: StoredEvent): void {
    const equipment = event.subject.equipment;
    if (equipment === undefined) return;
    this.#statuses.set(equipment, applyStatusEvent(this.#statuses.get(equipment) ?? emptyStatus(equipment), event));
  }
}
