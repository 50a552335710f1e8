/**
 * Pure: folds one stored event into a machine's status. Events may arrive out of order across connectors, so each
 * part of the status only moves forward in occurrence time.
 */
import type { StoredEvent } from '../../core/event.js';
import type { EquipmentStatus } from '../../core/plant-status.js';

/** The event types that change a status; everything else is ignored cheaply. */
export const STATUS_EVENT_TYPES = [
  'equipment.state.changed',
  'alarm.raised',
  'alarm.cleared',
  'production.count.recorded',
  'work-order.operation.started',
  'work-order.operation.completed',
  'downtime.reason.recorded',
] as const;

const RELEVANT = new Set<string>(STATUS_EVENT_TYPES);

export function isStatusEvent(type: string): boolean {
  return RELEVANT.has(type);
}

export function emptyStatus(equipment: string): EquipmentStatus {
  return { equipment, activeAlarms: [] };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isNewer = (at: string, than: string | undefined): boolean => than === undefined || Date.parse(at) >= Date.parse(than);

/** The status after `event`; the input is not modified. */
export function applyStatusEvent(status: EquipmentStatus, event: StoredEvent): EquipmentStatus {
  const at = event.occurredAt;
  const data = event.data;
  const next: EquipmentStatus = { ...status, activeAlarms: status.activeAlarms };
  switch (event.type) {
    case 'equipment.state.changed': {
      if (!isNewer(at, status.since)) return status;
      next.state = text(data['state']);
      next.since = at;
      next.quality = event.quality;
      next.source = event.source.system;
      if (event.source.connector === undefined) delete next.connector;
      else next.connector = event.source.connector;
      const previous = text(data['previousState']) ?? status.state;
      if (previous === undefined) delete next.previousState;
      else next.previousState = previous;
      const reason = text(data['reason']);
      if (reason === undefined) delete next.reason;
      else next.reason = reason;
      break;
    }
    case 'alarm.raised':
    case 'alarm.cleared': {
      const alarm = text(data['alarm']);
      if (alarm === undefined) return status;
      const others = status.activeAlarms.filter((entry) => entry.alarm !== alarm);
      const current = status.activeAlarms.find((entry) => entry.alarm === alarm);
      if (current !== undefined && !isNewer(at, current.since)) return status;
      next.activeAlarms =
        event.type === 'alarm.raised'
          ? [...others, { alarm, since: at, ...(typeof data['severity'] === 'number' ? { severity: data['severity'] } : {}), ...(text(data['message']) === undefined ? {} : { message: text(data['message'])! }) }]
          : others;
      break;
    }
    case 'production.count.recorded': {
      if (status.lastCount !== undefined && !isNewer(at, status.lastCount.at)) return status;
      next.lastCount = { good: Number(data['good'] ?? 0), scrap: Number(data['scrap'] ?? 0), at };
      break;
    }
    case 'downtime.reason.recorded': {
      // The reason of the stop in progress (a machine's stop-reason tag, or an operator's capture).
      const reason = text(data['reason']);
      const stopAt = text(data['stopStartedAt']) ?? at;
      if (reason === undefined || status.since === undefined || !isNewer(stopAt, status.since) || status.state === 'execute') return status;
      next.reason = reason;
      break;
    }
    case 'work-order.operation.started':
      next.workOrder = event.subject.workOrder;
      if (event.subject.operation === undefined) delete next.operation;
      else next.operation = event.subject.operation;
      if (event.subject.lot === undefined) delete next.lot;
      else next.lot = event.subject.lot;
      break;
    case 'work-order.operation.completed':
      if (status.workOrder !== event.subject.workOrder) return status;
      delete next.workOrder;
      delete next.operation;
      delete next.lot;
      break;
    default:
      return status;
  }
  if (next.updatedAt === undefined || isNewer(at, next.updatedAt)) next.updatedAt = at;
  return next;
}
