/**
 * Pure: a tracker fact as the event the location engine emits (docs/locations.md#events). The subject names the zone
 * (`location`) and the equipment it belongs to; a misplaced tool and a restricted-zone breach also carry the work
 * order running there, so the finding is tied to the order being made where it happened.
 */
import type { DerivedEventInput } from '../../core/engine.js';
import type { EventSubject } from '../../core/event.js';
import type { LocationFact, Position } from './location-tracker.js';
import type { RunningOrders } from './running-orders.js';
import { placeOf, restrictionFor, tagOf, type PlannedZone, type ZonePlan } from './zone-plan.js';

const iso = (at: number): string => new Date(at).toISOString();
const seconds = (ms: number): number => Math.max(0, ms) / 1000;

function coordinates(position: Position): { x: number; y: number; z?: number } {
  return { x: position.x, y: position.y, ...(position.z === undefined ? {} : { z: position.z }) };
}

function zoneSubject(zone: PlannedZone | undefined, equipmentZone: PlannedZone | undefined = zone): EventSubject {
  return {
    ...(zone === undefined ? {} : { location: zone.id }),
    ...(equipmentZone?.equipment === undefined ? {} : { equipment: equipmentZone.equipment }),
  };
}

/** Adds the order running on the subject's equipment (or, for a line, on its latest-started machine). */
function withWorkOrder(subject: EventSubject, running: RunningOrders): { subject: EventSubject; runningOn?: string } {
  if (subject.equipment === undefined) return { subject };
  const order = running.within(subject.equipment);
  return order === undefined ? { subject } : { subject: { ...subject, workOrder: order.workOrder }, runningOn: order.equipment };
}

export function factToEvent(fact: LocationFact, plan: ZonePlan, running: RunningOrders): DerivedEventInput {
  const tag = tagOf(plan, fact.tag);
  const who = { tag: fact.tag, kind: tag.kind, ...(tag.name === undefined ? {} : { name: tag.name }) };
  switch (fact.type) {
    case 'entered':
    case 'exited': {
      const restricted = restrictionFor(plan, fact.zone, tag.kind) !== undefined;
      return {
        type: fact.type === 'entered' ? 'location.zone.entered' : 'location.zone.exited',
        occurredAt: iso(fact.at),
        subject: zoneSubject(plan.zoneById.get(fact.zone)),
        data: {
          ...who,
          zone: fact.zone,
          ...coordinates(fact.position),
          ...(fact.type === 'exited' ? { enteredAt: iso(fact.enteredAt), dwellSeconds: seconds(fact.at - fact.enteredAt) } : {}),
          ...(restricted ? { restricted: true } : {}),
        },
      };
    }
    case 'restricted': {
      const { subject, runningOn } = withWorkOrder(zoneSubject(plan.zoneById.get(fact.zone)), running);
      return {
        type: 'location.restricted.entered',
        occurredAt: iso(fact.at),
        subject,
        data: { ...who, zone: fact.zone, severity: fact.severity, safety: true, ...coordinates(fact.position), ...(runningOn === undefined ? {} : { runningOn }) },
      };
    }
    case 'misplaced': {
      const place = placeOf(plan, fact.zones);
      const { subject, runningOn } = withWorkOrder(zoneSubject(place.zone, place.equipmentZone), running);
      return {
        type: 'location.tag.misplaced',
        occurredAt: iso(fact.at),
        subject,
        data: {
          ...who,
          zone: place.zone?.id ?? null,
          zones: fact.zones,
          ...coordinates(fact.position),
          lastReportedAt: iso(fact.position.at),
          outsideSince: iso(fact.outsideSince),
          ...(tag.home === undefined ? {} : { home: tag.home }),
          allowedZones: [...tag.inPlaceZones].filter((zone) => zone !== tag.home),
          limitMinutes: (tag.misplacedAfterMs ?? 0) / 60_000,
          ...(runningOn === undefined ? {} : { runningOn }),
        },
      };
    }
    case 'returned':
      return {
        type: 'location.tag.returned',
        occurredAt: iso(fact.at),
        subject: zoneSubject(plan.zoneById.get(fact.zone)),
        data: {
          ...who,
          zone: fact.zone,
          ...coordinates(fact.position),
          outsideSince: iso(fact.outsideSince),
          misplacedAt: iso(fact.misplacedAt),
          // Away: since it left its place; misplaced: since it was flagged, the time people may have spent looking.
          awaySeconds: seconds(fact.at - fact.outsideSince),
          misplacedSeconds: seconds(fact.at - fact.misplacedAt),
        },
      };
  }
}
