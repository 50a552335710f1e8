/**
 * Sparkplug B payloads. Decoding reads the protobuf directly (sparkplug-payload's generated Tahu schema) and converts
 * values by datatype ourselves, because the library's own conversion reads UInt32 as a signed int and does not
 * sign-extend Int8/Int16 written by encoders that store them in their own width. Encoding (commands) uses the library.
 */
import sparkplug from 'sparkplug-payload';
// A CommonJS module whose named export Node's ESM loader cannot see; the default import is its module.exports.
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';

const Payload = sparkplugProto.org.eclipse.tahu.protobuf.Payload;
const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload does not know the spBv1.0 namespace');

export const DATATYPES = {
  1: 'Int8', 2: 'Int16', 3: 'Int32', 4: 'Int64', 5: 'UInt8', 6: 'UInt16', 7: 'UInt32', 8: 'UInt64', 9: 'Float', 10: 'Double',
  11: 'Boolean', 12: 'String', 13: 'DateTime', 14: 'Text', 15: 'UUID', 16: 'DataSet', 17: 'Bytes', 18: 'File', 19: 'Template',
} as const satisfies Record<number, string>;

export type MetricValue = number | boolean | string | null;

export interface DecodedMetric {
  name?: string;
  alias?: number;
  timestamp?: number;
  datatype?: number;
  /** undefined when the datatype is not a scalar we map (DataSet, Template, Bytes, File). */
  value: MetricValue | undefined;
}

export interface DecodedPayload {
  timestamp?: number;
  seq?: number;
  metrics: DecodedMetric[];
}

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

/** A 64-bit value as a number when exact, else as a decimal string (JSON has no 64-bit integers). */
function from64(value: unknown, signed: boolean): number | string {
  if (typeof value === 'number') return value;
  if (!isLong(value)) return Number(value);
  const big = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  const result = signed ? BigInt.asIntN(64, big) : big;
  return result >= BigInt(Number.MIN_SAFE_INTEGER) && result <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(result) : result.toString();
}

function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const converted = from64(value, false);
  return typeof converted === 'number' ? converted : Number(converted);
}

function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

interface RawMetric {
  name?: string | null;
  alias?: unknown;
  timestamp?: unknown;
  datatype?: number | null;
  isNull?: boolean | null;
  intValue?: number | null;
  longValue?: unknown;
  floatValue?: number | null;
  doubleValue?: number | null;
  booleanValue?: boolean | null;
  stringValue?: string | null;
}

/** The integer a metric carries, from whichever field the encoder used (encoders differ for UInt32 and DateTime). */
function integerField(metric: RawMetric): unknown {
  // Decoded proto2 messages keep defaults on the prototype, so an own property means the field was on the wire.
  return Object.prototype.hasOwnProperty.call(metric, 'longValue') ? metric.longValue : (metric.intValue ?? 0);
}

export function metricValue(metric: RawMetric): MetricValue | undefined {
  if (metric.isNull === true) return null;
  const raw = integerField(metric);
  const low32 = isLong(raw) ? raw.low : Number(raw);
  switch (metric.datatype) {
    case 1:
      return signExtend(low32 & 0xff, 8);
    case 2:
      return signExtend(low32 & 0xffff, 16);
    case 3:
      return low32 | 0;
    case 4:
      return from64(raw, true);
    case 5:
      return low32 & 0xff;
    case 6:
      return low32 & 0xffff;
    case 7:
      return low32 >>> 0;
    case 8:
    case 13:
      return from64(raw, false);
    case 9:
      return metric.floatValue ?? 0;
    case 10:
      return metric.doubleValue ?? 0;
    case 11:
      return metric.booleanValue ?? false;
    case 12:
    case 14:
    case 15:
      return metric.stringValue ?? '';
    default:
      return undefined;
  }
}

/**
 * Decodes a Sparkplug B payload.
 * @throws Error with the protobuf reader's reason for bytes that are not a Sparkplug payload
 */
export function decodeSparkplug(bytes: Uint8Array): DecodedPayload {
  const message = Payload.decode(bytes);
  const object = message as unknown as { timestamp?: unknown; seq?: unknown; metrics?: RawMetric[] };
  const decoded: DecodedPayload = { metrics: [] };
  const timestamp = toNumber(object.timestamp);
  if (timestamp !== undefined && timestamp !== 0) decoded.timestamp = timestamp;
  // proto2 optional fields: a seq of 0 is meaningful (the birth), so presence is read from the message itself.
  if (Object.prototype.hasOwnProperty.call(message, 'seq')) decoded.seq = toNumber(object.seq) ?? 0;
  for (const metric of object.metrics ?? []) {
    const entry: DecodedMetric = { value: metricValue(metric) };
    if (metric.name !== undefined && metric.name !== null && metric.name !== '') entry.name = metric.name;
    if (Object.prototype.hasOwnProperty.call(metric, 'alias')) entry.alias = toNumber(metric.alias) ?? 0;
    const metricTime = toNumber(metric.timestamp);
    if (metricTime !== undefined && metricTime !== 0) entry.timestamp = metricTime;
    if (metric.datatype !== undefined && metric.datatype !== null) entry.datatype = metric.datatype;
    decoded.metrics.push(entry);
  }
  return decoded;
}

/** Encodes a command (NCMD/DCMD) payload with the reference library. */
export function encodeCommand(metrics: UMetric[], timestamp: number): Uint8Array {
  return codec!.encodePayload({ timestamp, metrics });
}

/** Encodes any payload with the reference library (edge-node side; used by the demo plant and tests). */
export function encodeSparkplug(payload: Parameters<NonNullable<typeof codec>['encodePayload']>[0]): Uint8Array {
  return codec!.encodePayload(payload);
}
