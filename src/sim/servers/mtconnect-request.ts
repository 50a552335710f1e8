/**
 * Pure parsing of the requests the demo plant's MTConnect agent answers, as the standard's REST interface names them:
 * `probe`, `current` (`at=`), `sample` (`from=`, `count=`, and `interval=`/`heartbeat=` for a stream), each for every
 * device or, under a device path, for one (`/cnc-1/current`); plus the extension schema under `/schemas/`. Malformed
 * parameters are INVALID_REQUEST; numbers outside what the buffer holds are OUT_OF_RANGE, checked against the buffer's
 * sequence window at the moment of the request.
 */
import type { AgentErrorCode } from './mtconnect-documents.js';

/** Observations per answer when the request gives no `count` (cppagent's default). */
export const DEFAULT_COUNT = 100;
/** Milliseconds of silence before a stream sends an empty document, when the request gives no `heartbeat`. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** The longest interval or heartbeat accepted (one hour). */
const MAX_WAIT_MS = 3_600_000;

/** A request the agent answers with a document. */
export type AgentRequest =
  | { kind: 'probe'; device?: string }
  | { kind: 'current'; device?: string; at?: number }
  /** `count` absent: DEFAULT_COUNT, or the whole buffer when it is smaller. */
  | { kind: 'sample'; device?: string; from?: number; count?: number; stream?: { intervalMs: number; heartbeatMs: number } }
  | { kind: 'schema'; path: string };

/** A request refused, with the MTConnect error code and the HTTP status to answer with. */
export interface AgentRequestError {
  kind: 'error';
  status: number;
  code: AgentErrorCode;
  message: string;
}

/** The buffer's sequence numbers when a request arrives. */
export interface SequenceWindow {
  firstSequence: number;
  nextSequence: number;
  bufferSize: number;
}

const fail = (status: number, code: AgentErrorCode, message: string): AgentRequestError => ({ kind: 'error', status, code, message });

/** A query parameter as a whole number in [minimum, maximum]; undefined when absent; an error text when malformed. */
function integerParam(query: URLSearchParams, name: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number | undefined | string {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < minimum || value > maximum) return `'${name}' must be a whole number from ${minimum} to ${maximum}, got '${text}'`;
  return value;
}

/** The numeric parameters of sample: name, least and greatest value accepted. Counts beyond the buffer are OUT_OF_RANGE. */
const SAMPLE_NUMBERS = [
  ['from', 0, Number.MAX_SAFE_INTEGER],
  ['count', 0, Number.MAX_SAFE_INTEGER],
  ['interval', 0, MAX_WAIT_MS],
  ['heartbeat', 1, MAX_WAIT_MS],
] as const;

const ALLOWED: Record<'probe' | 'current' | 'sample', readonly string[]> = {
  probe: [],
  current: ['at', 'path', 'interval'],
  sample: ['from', 'count', 'interval', 'heartbeat', 'path'],
};

/**
 * Parses a request line: method and URL (path and query).
 * @param devices the names and uuids a device path may give, resolved to the device name
 */
export function parseAgentRequest(method: string, rawUrl: string, devices: ReadonlyArray<{ name: string; uuid: string }>, schemaPaths: readonly string[]): AgentRequest | AgentRequestError {
  if (method !== 'GET' && method !== 'HEAD') return fail(405, 'UNSUPPORTED', `${method} is not supported: MTConnect is read-only, use GET`);
  const url = new URL(rawUrl, 'http://agent');
  if (schemaPaths.includes(url.pathname)) return { kind: 'schema', path: url.pathname };
  const segments = url.pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  if (segments.length > 2) return fail(404, 'INVALID_URI', `${url.pathname} is not an agent request: use /probe, /current, /sample, optionally after a device name`);
  const last = segments.at(-1) ?? 'probe';
  const isRequest = last === 'probe' || last === 'current' || last === 'sample';
  // One segment is a request or a device name (`/cnc-1` is that device's probe), two are device and request.
  const deviceName = segments.length === 2 ? segments[0] : isRequest ? undefined : segments[0];
  const request = isRequest ? last : segments.length === 2 ? undefined : 'probe';
  if (request === undefined) return fail(400, 'INVALID_REQUEST', `'${last}' is not one of probe, current and sample`);
  let device: string | undefined;
  if (deviceName !== undefined) {
    device = devices.find((candidate) => candidate.name === deviceName || candidate.uuid === deviceName)?.name;
    if (device === undefined) return fail(404, 'NO_DEVICE', `no device '${deviceName}' (devices: ${devices.map((candidate) => candidate.name).join(', ')})`);
  }
  const query = url.searchParams;
  const unknown = [...query.keys()].find((key) => !ALLOWED[request].includes(key));
  if (unknown !== undefined) return fail(400, 'INVALID_REQUEST', `'${unknown}' is not a parameter of ${request}`);
  if (query.has('path')) return fail(400, 'UNSUPPORTED', 'XPath filters (path=) are not supported by this agent; filter by device instead (/cnc-1/sample)');
  const on = device === undefined ? {} : { device };
  if (request === 'probe') return { kind: 'probe', ...on };
  if (request === 'current') {
    if (query.has('interval')) return fail(400, 'UNSUPPORTED', 'current with interval is not supported; stream with sample?interval= instead');
    const at = integerParam(query, 'at', 0);
    if (typeof at === 'string') return fail(400, 'INVALID_REQUEST', at);
    return { kind: 'current', ...on, ...(at === undefined ? {} : { at }) };
  }
  const numbers: Partial<Record<'from' | 'count' | 'interval' | 'heartbeat', number>> = {};
  for (const [name, minimum, maximum] of SAMPLE_NUMBERS) {
    const value = integerParam(query, name, minimum, maximum);
    if (typeof value === 'string') return fail(400, 'INVALID_REQUEST', value);
    if (value !== undefined) numbers[name] = value;
  }
  const { from, count, interval, heartbeat } = numbers;
  if (heartbeat !== undefined && interval === undefined) return fail(400, 'INVALID_REQUEST', "'heartbeat' applies to a stream: give 'interval' too");
  return {
    kind: 'sample',
    ...on,
    ...(from === undefined ? {} : { from }),
    ...(count === undefined ? {} : { count }),
    ...(interval === undefined ? {} : { stream: { intervalMs: interval, heartbeatMs: heartbeat ?? DEFAULT_HEARTBEAT_MS } }),
  };
}

/** The sequence numbers of a request checked against the buffer: OUT_OF_RANGE (as cppagent words it) or undefined. */
export function rangeError(request: AgentRequest, window: SequenceWindow): AgentRequestError | undefined {
  const { firstSequence, nextSequence, bufferSize } = window;
  if (request.kind === 'current' && request.at !== undefined && (request.at < firstSequence || request.at >= nextSequence)) {
    return fail(400, 'OUT_OF_RANGE', `'at' must be greater than or equal to ${firstSequence} and less than ${nextSequence}`);
  }
  if (request.kind !== 'sample') return undefined;
  if (request.count !== undefined && (request.count < 1 || request.count > bufferSize)) return fail(400, 'OUT_OF_RANGE', `'count' must be greater than 0 and less than or equal to ${bufferSize}`);
  if (request.from !== undefined && (request.from < firstSequence || request.from > nextSequence)) {
    return fail(400, 'OUT_OF_RANGE', `'from' must be greater than or equal to ${firstSequence} and less than or equal to ${nextSequence}`);
  }
  return undefined;
}
