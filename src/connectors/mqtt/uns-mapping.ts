/**
 * Pure mapping from stored events and samples to unified-namespace messages: topic under the equipment's ISA-95 path
 * and a small JSON document of current state. Publishing is retained, so the latest message per topic is the state.
 */
import type { Sample, StoredEvent } from '../../core/event.js';
import type { UnsTopic } from './uns-config.js';

export interface UnsMessage {
  topic: string;
  payload: string;
  /** Source time, epoch ms: a late reading (store-and-forward drain) never replaces a newer state. */
  at: number;
}

/** One topic level from a free name: MQTT forbids wildcards in published topics, and `/` would add a level. */
export function topicLevel(name: string): string {
  const cleaned = name.replace(/[+#/\u0000]/g, '_').trim();
  return cleaned === '' ? '_' : cleaned;
}

function message(prefix: string, equipment: string, suffix: readonly string[], document: Record<string, unknown> & { at: string }): UnsMessage {
  return { topic: [`${prefix}${equipment}`, ...suffix.map(topicLevel)].join('/'), payload: JSON.stringify(document), at: Date.parse(document.at) };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The UNS message an event updates, or undefined when the event is not part of the published state. */
export function unsMessageOfEvent(event: StoredEvent, prefix: string, include: ReadonlySet<UnsTopic>): UnsMessage | undefined {
  const equipment = event.subject.equipment;
  if (equipment === undefined) return undefined;
  const common = { at: event.occurredAt, quality: event.quality };
  const data = event.data;
  switch (event.type) {
    case 'equipment.state.changed':
      if (!include.has('state')) return undefined;
      return message(prefix, equipment, ['state'], {
        state: data['state'],
        ...(data['previousState'] === undefined ? {} : { previousState: data['previousState'] }),
        ...(data['reason'] === undefined ? {} : { reason: data['reason'] }),
        ...(event.subject.workOrder === undefined ? {} : { workOrder: event.subject.workOrder }),
        ...common,
      });
    case 'alarm.raised':
    case 'alarm.cleared': {
      const alarm = text(data['alarm']);
      if (!include.has('alarms') || alarm === undefined) return undefined;
      return message(prefix, equipment, ['alarms', alarm], {
        active: event.type === 'alarm.raised',
        ...(data['severity'] === undefined ? {} : { severity: data['severity'] }),
        ...(data['message'] === undefined ? {} : { message: data['message'] }),
        ...common,
      });
    }
    case 'production.count.recorded':
      if (!include.has('counts')) return undefined;
      return message(prefix, equipment, ['counts'], {
        good: data['good'] ?? 0,
        scrap: data['scrap'] ?? 0,
        ...(data['total'] === undefined ? {} : { total: data['total'] }),
        ...common,
      });
    case 'quality.measurement.recorded': {
      const characteristic = text(data['characteristic']);
      if (!include.has('measurements') || characteristic === undefined) return undefined;
      return message(prefix, equipment, ['measurements', characteristic], {
        value: data['value'],
        ...(data['unit'] === undefined ? {} : { unit: data['unit'] }),
        ...(event.subject.serial === undefined ? {} : { serial: event.subject.serial }),
        ...common,
      });
    }
    case 'signal.value.changed': {
      const signal = text(data['signal']);
      if (!include.has('signals') || signal === undefined) return undefined;
      return message(prefix, equipment, ['signals', signal], { value: data['value'], ...common });
    }
    case 'work-order.operation.started':
    case 'work-order.operation.completed':
      if (!include.has('work-order')) return undefined;
      return message(prefix, equipment, ['work-order'], {
        workOrder: event.type === 'work-order.operation.started' ? (event.subject.workOrder ?? null) : null,
        ...(event.type === 'work-order.operation.started' && event.subject.operation !== undefined ? { operation: event.subject.operation } : {}),
        ...(event.type === 'work-order.operation.completed' ? { lastWorkOrder: event.subject.workOrder ?? null } : {}),
        ...common,
      });
    default:
      return undefined;
  }
}

/** The UNS message of a historian sample: the signal's latest value. */
export function unsMessageOfSample(sample: Sample, prefix: string): UnsMessage {
  return message(prefix, sample.equipment, ['signals', sample.signal], {
    value: sample.value,
    at: new Date(sample.ts).toISOString(),
    quality: sample.quality ?? 'good',
  });
}
