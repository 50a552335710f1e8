/**
 * The location (RTLS) engine: from `location.position.reported` it keeps every tag's position and zones and emits
 * zone entries and exits (with dwell time), restricted-zone breaches, misplaced tools and their return. It also
 * follows which work order runs on which machine, to tie a breach or a misplaced tool to the order made where it was.
 * Deterministic for a given event sequence: only event times, never the wall clock (docs/locations.md).
 */
import { defineEngine } from '../../core/engine.js';
import type { StoredEvent } from '../../core/event.js';
import type { LocationEngineConfig } from './location-config.js';
import { factToEvent } from './location-events.js';
import { LocationTracker, type PositionReport } from './location-tracker.js';
import { OPERATION_EVENT_TYPES, RunningOrders } from './running-orders.js';
import { planOf } from './zone-plan.js';

export const POSITION_REPORTED = 'location.position.reported';

export interface LocationState {
  tracker: LocationTracker;
  running: RunningOrders;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The report in a position event, or undefined when it lacks a tag or coordinates. */
export function positionReportOf(event: StoredEvent): PositionReport | undefined {
  const { tag, x, y, z } = event.data;
  const at = Date.parse(event.occurredAt);
  if (typeof tag !== 'string' || tag === '' || !finite(x) || !finite(y) || Number.isNaN(at)) return undefined;
  return { tag, at, x, y, ...(finite(z) ? { z } : {}) };
}

/** Config is built by the runtime from plant.yaml (`locationConfigOf`) and checked against LocationEngineConfigSchema. */
export const locationEngine = defineEngine<LocationEngineConfig, LocationState>({
  id: 'location',
  subscribes: [POSITION_REPORTED, ...OPERATION_EVENT_TYPES],
  createState: (config): LocationState => ({ tracker: new LocationTracker(planOf(config)), running: new RunningOrders() }),
  handle(event: StoredEvent, context): void {
    const { tracker, running } = context.state;
    if (event.type !== POSITION_REPORTED) {
      running.observe(event);
      return;
    }
    // A reading the source itself marks bad must not move a tag (it would fake an exit and an entry).
    if (event.quality === 'bad') return;
    const report = positionReportOf(event);
    if (report === undefined) return;
    for (const fact of tracker.report(report)) context.emit(factToEvent(fact, tracker.plan, running));
  },
});
