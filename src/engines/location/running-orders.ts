/**
 * What runs where, for tying a tag's whereabouts to the order being made there: learned from
 * `work-order.operation.started` / `.completed` with the pipeline's own rules (core RunningOperations), and asked
 * per plant path: a machine's order, or for a line or cell the most recently started order among its machines.
 */
import type { CanonicalEvent } from '../../core/event.js';
import { OPERATION_COMPLETED, OPERATION_STARTED, RunningOperations, type RunningOperation } from '../../core/pipeline/enrich.js';
import { PlantModel } from '../../core/plant-model.js';

export const OPERATION_EVENT_TYPES = [OPERATION_STARTED, OPERATION_COMPLETED] as const;

export class RunningOrders {
  readonly #operations = new RunningOperations();
  /** Every machine an operation was seen on, to find those below a line. */
  readonly #equipment = new Set<string>();

  observe(event: CanonicalEvent): void {
    const equipment = event.subject.equipment;
    if (equipment === undefined) return;
    this.#equipment.add(equipment);
    this.#operations.observe(event);
  }

  /** The order running on `path` or on a machine below it; the latest started wins (then the lowest path, for replay). */
  within(path: string): (RunningOperation & { equipment: string }) | undefined {
    let best: (RunningOperation & { equipment: string }) | undefined;
    for (const equipment of this.#equipment) {
      if (!PlantModel.isWithin(equipment, path)) continue;
      const running = this.#operations.current(equipment);
      if (running === undefined) continue;
      if (best === undefined || running.since > best.since || (running.since === best.since && equipment < best.equipment)) best = { ...running, equipment };
    }
    return best;
  }
}
