/**
 * The routing of a released work order, read from `work-order.released` data (docs/events.md#work-order-routing).
 * The pipeline resolves ids in an event's subject, not inside its data, so the equipment of each step is resolved
 * here: a canonical path is taken as is, any other id through the crosswalk of the release's source system as it
 * stood when the order was released. A step whose equipment stays unknown is kept (its minutes still count toward
 * slack) and retried later, when the crosswalk may have learnt the id.
 */
import type { CanonicalEvent } from '../../core/event.js';

/** One step of a routing as the book keeps it. */
export interface RoutingStep {
  /** Operation number or id, as a string ("10"). */
  operation: string;
  /** The canonical equipment path when resolved; otherwise the id as sent. */
  equipment?: string;
  /** False while `equipment` is an id neither the plant nor the crosswalk knows. */
  resolved: boolean;
  /** Planned duration of the whole operation, minutes. */
  minutes?: number;
}

/** Maps an equipment id sent by `system` at `at` (epoch ms) to its canonical path, or undefined when unknown. */
export type EquipmentResolver = (id: string, system: string, at: number) => string | undefined;

/** The steps of a release, in routing order; malformed entries (possible in logs older than the schema) are skipped. */
export function routingOf(event: CanonicalEvent, resolveEquipment: EquipmentResolver): RoutingStep[] {
  const operations = event.data['operations'];
  if (!Array.isArray(operations)) return [];
  const at = Date.parse(event.occurredAt);
  const steps: RoutingStep[] = [];
  for (const entry of operations as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    const operation = fields['operation'];
    if ((typeof operation !== 'string' || operation === '') && typeof operation !== 'number') continue;
    const step: RoutingStep = { operation: String(operation), resolved: true };
    const equipment = fields['equipment'];
    if (typeof equipment === 'string' && equipment !== '') {
      const path = resolveEquipment(equipment, event.source.system, at);
      step.equipment = path ?? equipment;
      step.resolved = path !== undefined;
    }
    const minutes = fields['minutes'];
    if (typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0) step.minutes = minutes;
    steps.push(step);
  }
  return steps;
}

/** Tries again to resolve the steps still unresolved; true when any changed. */
export function retryRouting(steps: RoutingStep[], system: string, at: number, resolveEquipment: EquipmentResolver): boolean {
  let changed = false;
  for (const step of steps) {
    if (step.resolved || step.equipment === undefined) continue;
    const path = resolveEquipment(step.equipment, system, at);
    if (path === undefined) continue;
    step.equipment = path;
    step.resolved = true;
    changed = true;
  }
  return changed;
}
