/**
 * Pure OPC UA mapping: a DataValue's status code becomes quality (and the status name travels along), its variant
 * becomes a plain value, its source timestamp the reading time.
 */
import type { Quality } from '../../core/event.js';
import type { RawReading } from '../../core/mapping.js';

/** The parts of a node-opcua DataValue we read; kept structural so the mapping stays testable without a server. */
export interface DataValueLike {
  value?: { value?: unknown; dataType?: number } | null;
  statusCode?: { value: number; name: string } | null;
  sourceTimestamp?: Date | null;
  serverTimestamp?: Date | null;
}

/** OPC UA status codes carry their severity in the top two bits: 00 good, 01 uncertain, 10/11 bad. */
export function qualityOf(statusCode: number): Quality {
  const severity = statusCode >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** node-opcua's DataType numbers for the 64-bit integers, which it hands over as [high, low] pairs. */
const INT64 = 8;
const UINT64 = 9;

/** A plain JSON-able value: 64-bit integers as numbers, Dates as epoch ms. */
export function plainValue(value: unknown, dataType?: number): unknown {
  if ((dataType === INT64 || dataType === UINT64) && Array.isArray(value) && value.length === 2) {
    const [high, low] = value as [number, number];
    return (dataType === INT64 ? high | 0 : high >>> 0) * 2 ** 32 + (low >>> 0);
  }
  if (value instanceof Date) return value.getTime();
  return value;
}

export function toReading(address: string, dataValue: DataValueLike, receivedAt: number): RawReading {
  const status = dataValue.statusCode ?? { value: 0, name: 'Good' };
  const quality = qualityOf(status.value);
  const ts = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? receivedAt;
  return {
    address,
    value: plainValue(dataValue.value?.value ?? null, dataValue.value?.dataType),
    ts,
    quality,
    ...(quality === 'good' ? {} : { status: status.name }),
  };
}
