/**
 * The Sparkplug B 3.0 host-application state machine, pure: births define metrics and aliases, data resolves aliases,
 * sequence numbers are checked (0–255, wrapping), deaths mark metrics stale when their bdSeq matches the birth, and
 * anything that cannot be trusted (a gap, data before birth, an unknown alias) asks for a rebirth.
 */
import type { Quality } from '../../core/event.js';
import type { DecodedPayload, MetricValue } from './codec.js';

export const NAMESPACE = 'spBv1.0';
const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type ParsedTopic =
  | { kind: 'node'; group: string; type: MessageType; edge: string; device?: string }
  | { kind: 'state'; hostId: string };

/** `spBv1.0/<group>/<type>/<edge>[/<device>]` or `spBv1.0/STATE/<host>`; undefined for anything else. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const levels = topic.split('/');
  if (levels[0] !== NAMESPACE) return undefined;
  if (levels[1] === 'STATE' && levels.length === 3) return { kind: 'state', hostId: levels[2]! };
  const [, group, type, edge, device] = levels;
  if (group === undefined || edge === undefined || !(MESSAGE_TYPES as readonly string[]).includes(type ?? '') || levels.length > 5) return undefined;
  const isDeviceType = type!.startsWith('D');
  if (isDeviceType !== (device !== undefined)) return undefined;
  return { kind: 'node', group, type: type as MessageType, edge, ...(device === undefined ? {} : { device }) };
}

export interface Reading {
  /** `group/edge` for node metrics, `group/edge/device` for device metrics. */
  address: string;
  metric: string;
  value: MetricValue;
  ts: number;
  quality: Quality;
}

export interface SessionOutcome {
  readings: Reading[];
  rebirth?: { group: string; edge: string; reason: string };
  /** Things worth recording but not errors: a stale death ignored, a metric we do not map. */
  notes: string[];
}

interface MetricTable {
  aliases: Map<number, string>;
  datatypes: Map<string, number>;
  last: Map<string, MetricValue>;
}

interface DeviceState extends MetricTable {
  online: boolean;
}

interface NodeState extends MetricTable {
  online: boolean;
  bdSeq?: MetricValue;
  lastSeq?: number;
  devices: Map<string, DeviceState>;
}

const emptyTable = (): MetricTable => ({ aliases: new Map(), datatypes: new Map(), last: new Map() });

export class SparkplugSession {
  readonly #nodes = new Map<string, NodeState>();

  /** Nodes currently online. */
  onlineNodes(): string[] {
    return [...this.#nodes.entries()].filter(([, node]) => node.online).map(([key]) => key);
  }

  /** The datatype a metric was born with, for writing commands of the right type. */
  datatypeOf(group: string, edge: string, device: string | undefined, metric: string): number | undefined {
    const node = this.#nodes.get(`${group}/${edge}`);
    const table = device === undefined ? node : node?.devices.get(device);
    return table?.datatypes.get(metric);
  }

  handle(topic: Extract<ParsedTopic, { kind: 'node' }>, payload: DecodedPayload, receivedAt: number): SessionOutcome {
    const outcome: SessionOutcome = { readings: [], notes: [] };
    const key = `${topic.group}/${topic.edge}`;
    const address = topic.device === undefined ? key : `${key}/${topic.device}`;
    const ts = payload.timestamp ?? receivedAt;
    const rebirth = (reason: string): void => {
      outcome.rebirth = { group: topic.group, edge: topic.edge, reason };
    };

    switch (topic.type) {
      case 'NBIRTH': {
        const node: NodeState = { ...emptyTable(), online: true, devices: new Map() };
        const bdSeq = payload.metrics.find((metric) => metric.name === 'bdSeq');
        if (bdSeq !== undefined) node.bdSeq = bdSeq.value ?? null;
        if (payload.seq !== undefined) node.lastSeq = payload.seq;
        this.#nodes.set(key, node);
        this.#learn(node, payload, address, ts, outcome);
        return outcome;
      }
      case 'NDEATH': {
        const node = this.#nodes.get(key);
        if (node === undefined) return outcome;
        const bdSeq = payload.metrics.find((metric) => metric.name === 'bdSeq')?.value;
        // A death certificate from an older session (the broker delivers the Will late) must not kill the new one.
        if (node.bdSeq !== undefined && bdSeq !== undefined && String(bdSeq) !== String(node.bdSeq)) {
          outcome.notes.push(`stale NDEATH for ${key} ignored (bdSeq ${String(bdSeq)}, current ${String(node.bdSeq)})`);
          return outcome;
        }
        node.online = false;
        this.#stale(node, key, ts, outcome);
        for (const [device, state] of node.devices) {
          state.online = false;
          this.#stale(state, `${key}/${device}`, ts, outcome);
        }
        return outcome;
      }
      default:
        break;
    }

    const node = this.#nodes.get(key);
    if (node === undefined || !node.online) {
      rebirth(`${topic.type} from ${address} before its node birth`);
      return outcome;
    }
    if (payload.seq === undefined || node.lastSeq === undefined || payload.seq !== (node.lastSeq + 1) % 256) {
      rebirth(`sequence gap at ${address}: expected ${node.lastSeq === undefined ? '?' : (node.lastSeq + 1) % 256}, got ${payload.seq ?? 'none'}`);
    }
    if (payload.seq !== undefined) node.lastSeq = payload.seq;

    switch (topic.type) {
      case 'DBIRTH': {
        const device: DeviceState = { ...emptyTable(), online: true };
        node.devices.set(topic.device!, device);
        this.#learn(device, payload, address, ts, outcome);
        return outcome;
      }
      case 'DDEATH': {
        const device = node.devices.get(topic.device!);
        if (device !== undefined) {
          device.online = false;
          this.#stale(device, address, ts, outcome);
        }
        return outcome;
      }
      case 'NDATA':
        this.#data(node, payload, address, ts, outcome, rebirth);
        return outcome;
      case 'DDATA': {
        const device = node.devices.get(topic.device!);
        if (device === undefined || !device.online) {
          rebirth(`DDATA from ${address} before its device birth`);
          return outcome;
        }
        this.#data(device, payload, address, ts, outcome, rebirth);
        return outcome;
      }
      default:
        // NCMD/DCMD are commands to edge nodes (ours among them); a host does not consume them.
        return outcome;
    }
  }

  #learn(table: MetricTable, payload: DecodedPayload, address: string, ts: number, outcome: SessionOutcome): void {
    for (const metric of payload.metrics) {
      if (metric.name === undefined) continue;
      if (metric.alias !== undefined) table.aliases.set(metric.alias, metric.name);
      if (metric.datatype !== undefined) table.datatypes.set(metric.name, metric.datatype);
      if (metric.value === undefined) {
        outcome.notes.push(`${address}:${metric.name} has a datatype that is not mapped (${metric.datatype ?? '?'})`);
        continue;
      }
      table.last.set(metric.name, metric.value);
      outcome.readings.push({ address, metric: metric.name, value: metric.value, ts: metric.timestamp ?? ts, quality: 'good' });
    }
  }

  #data(table: MetricTable, payload: DecodedPayload, address: string, ts: number, outcome: SessionOutcome, rebirth: (reason: string) => void): void {
    for (const metric of payload.metrics) {
      const name = metric.name ?? (metric.alias === undefined ? undefined : table.aliases.get(metric.alias));
      if (name === undefined) {
        rebirth(`unknown alias ${metric.alias ?? '(none)'} at ${address}`);
        continue;
      }
      if (metric.value === undefined) continue;
      table.last.set(name, metric.value);
      outcome.readings.push({ address, metric: name, value: metric.value, ts: metric.timestamp ?? ts, quality: 'good' });
    }
  }

  /** Every last-known value again, now with quality bad: the source is gone, the values are stale. */
  #stale(table: MetricTable, address: string, ts: number, outcome: SessionOutcome): void {
    for (const [metric, value] of table.last) {
      if (metric === 'bdSeq' || metric.startsWith('Node Control/')) continue;
      outcome.readings.push({ address, metric, value, ts, quality: 'bad' });
    }
  }
}
