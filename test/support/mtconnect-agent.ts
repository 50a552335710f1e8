/**
 * An MTConnect agent for integration tests: a real HTTP server (node:http) answering probe, current and sample with
 * MTConnect 1.7 XML, built from a device model and the values recorded from the reference cppagent in
 * ../shared/data/mtconnect (read in place, never copied). It keeps a rolling buffer with sequence numbers, streams
 * `sample?interval=..` as multipart/x-mixed-replace with heartbeats, and can misbehave on request: restart with a new
 * instanceId, overrun its buffer, refuse an expired `from` with OUT_OF_RANGE, serve a malformed document, fall silent.
 *
 * It parses its inputs with fast-xml-parser on its own, not with the connector's parser, so a parser bug cannot hide.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

/** ../shared/data/mtconnect beside the checkout, or undefined when it is absent. */
export function sharedMtconnectData(): string | undefined {
  const dir = fileURLToPath(new URL('../../../shared/data/mtconnect/', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}

type Level = 'Normal' | 'Warning' | 'Fault' | 'Unavailable';

interface Item {
  id: string; device: string; uuid: string; component: string; componentId: string; componentName?: string;
  category: 'SAMPLE' | 'EVENT' | 'CONDITION'; type: string; subType?: string; name?: string;
  /** The observation element for samples and events (SpindleSpeed, Execution, ...). */
  element: string;
}

interface Stored { sequence: number; timestamp: string; item: Item; element: string; value?: string; attributes: Record<string, string> }

/** One observation to append. `level` is for conditions; `value` is the text (for conditions, the message). */
export interface ObservationInput { dataItemId: string; value?: string; level?: Level; nativeCode?: string; nativeSeverity?: string; at?: number }

export interface MtconnectTestAgent {
  readonly url: string;
  readonly instanceId: string;
  readonly firstSequence: number;
  readonly nextSequence: number;
  /** How a non-streaming sample answers a `from` older than the buffer: OUT_OF_RANGE (cppagent) or skip forward. */
  expiredFrom: 'error' | 'skip';
  /** Every request path, in order. */
  readonly requests: string[];
  /** Streaming sample requests accepted so far. */
  readonly streamsOpened: number;
  /** The exact bytes of every malformed document served. */
  readonly malformedServed: Buffer[];
  /** Appends observations, one sequence number each; returns the last. */
  push(...inputs: ObservationInput[]): number;
  /** Appends observations and drops them from the buffer at once, as an overrun does; returns the dropped range. */
  overrun(...inputs: ObservationInput[]): { from: number; to: number };
  /** A new instanceId, sequence numbers from 1 again, the buffer reseeded, every connection closed. */
  restart(): void;
  /** The next sample answer or stream part is cut in half. */
  malformNext(): void;
  /** While muted, open streams send nothing at all, not even heartbeats. */
  mute(muted: boolean): void;
  /** The documents as served, for schema validation. */
  documents(): { probe: string; current: string; sample: string; heartbeat: string; error: string };
  close(): Promise<void>;
}

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', attributesGroupName: '$', removeNSPrefix: true, parseTagValue: false, isArray: (_n, _p, _l, attr) => !attr }).parse(xml) as Node;
type Node = Record<string, unknown> & { $?: Record<string, string>; '#text'?: string };
const kids = (node: Node | undefined, name?: string): Array<[string, Node]> =>
  Object.entries(node ?? {}).flatMap(([key, value]) =>
    key === '$' || key === '#text' || (name !== undefined && key !== name) || !Array.isArray(value) ? [] : value.filter((v): v is Node => typeof v === 'object').map((v) => [key, v] as [string, Node]),
  );
const first = (node: Node | undefined, name: string): Node | undefined => kids(node, name)[0]?.[1];
const pascal = (type: string) => type.replace(/^[a-z]+:/, '').toLowerCase().replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrs = (values: Record<string, string | number | undefined>) => Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escape(String(v))}"`).join('');
const NS = (kind: string) => `xmlns:m="urn:mtconnect.org:MTConnect${kind}:1.7" xmlns="urn:mtconnect.org:MTConnect${kind}:1.7" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:mtconnect.org:MTConnect${kind}:1.7 /schemas/MTConnect${kind}_1.7.xsd"`;

function readModel(devicesXml: string): { items: Item[]; devices: Array<{ name: string; uuid: string }> } {
  const items: Item[] = [];
  const devices: Array<{ name: string; uuid: string }> = [];
  const walk = (component: Node, element: string, device: { name: string; uuid: string }): void => {
    for (const [, item] of kids(first(component, 'DataItems'), 'DataItem')) {
      const a = item.$ ?? {};
      items.push({
        id: a['id']!, device: device.name, uuid: device.uuid, component: element, componentId: component.$?.['id'] ?? device.uuid, componentName: component.$?.['name'],
        category: a['category']!.toUpperCase() as Item['category'], type: a['type']!, subType: a['subType'], name: a['name'], element: pascal(a['type']!),
      });
    }
    for (const [name, child] of kids(first(component, 'Components'))) walk(child, name, device);
  };
  const root = first(parse(devicesXml), 'MTConnectDevices');
  for (const [element, node] of kids(first(root, 'Devices'))) {
    const device = { name: node.$?.['name'] ?? node.$?.['id'] ?? element, uuid: node.$?.['uuid'] ?? '' };
    devices.push(device);
    walk(node, element, device);
  }
  return { items, devices };
}

/** The recorded values by data item id: element name, text, attributes, original sequence and time. */
function readSeed(currentXml: string): Array<{ id: string; element: string; value?: string; attributes: Record<string, string>; sequence: number; timestamp: string }> {
  const seed: ReturnType<typeof readSeed> = [];
  for (const [, device] of kids(first(first(parse(currentXml), 'MTConnectStreams'), 'Streams'), 'DeviceStream')) {
    for (const [, component] of kids(device, 'ComponentStream')) {
      for (const [, group] of kids(component)) {
        for (const [element, node] of kids(group)) {
          const { dataItemId, sequence, timestamp, nativeCode, nativeSeverity, qualifier, statistic } = node.$ ?? {};
          const attributes = Object.fromEntries(Object.entries({ nativeCode, nativeSeverity, qualifier, statistic }).filter(([, v]) => v !== undefined)) as Record<string, string>;
          seed.push({ id: dataItemId!, element, ...(node['#text'] === undefined ? {} : { value: node['#text'] }), attributes, sequence: Number(sequence), timestamp: timestamp! });
        }
      }
    }
  }
  return seed.sort((a, b) => a.sequence - b.sequence);
}

export async function startMtconnectAgent(options: { devicesFile: string; currentFile?: string; bufferSize?: number; port: number }): Promise<MtconnectTestAgent> {
  const devicesXml = readFileSync(options.devicesFile, 'utf8');
  const { items, devices } = readModel(devicesXml);
  const seed = options.currentFile === undefined ? [] : readSeed(readFileSync(options.currentFile, 'utf8'));
  for (const entry of seed) {
    const item = items.find((candidate) => candidate.id === entry.id);
    if (item !== undefined && item.category !== 'CONDITION') item.element = entry.element;
  }
  const bufferSize = options.bufferSize ?? 4096;
  const requests: string[] = [];
  const malformedServed: Buffer[] = [];
  const streams = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let instanceId = 1_700_000_000;
  let buffer: Stored[] = [];
  let latest = new Map<string, Stored[]>();
  let next = 1;
  let malform = false;
  let muted = false;
  let closed = false;
  let streamsOpened = 0;
  const startedAt = new Date().toISOString();

  const wakeAll = () => [...waiters].forEach((wake) => wake());
  /** Resolves true when woken (push, mute, close), false after `ms`. */
  const pause = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); timers.delete(timer); waiters.delete(wake); resolve(true); };
      const timer = setTimeout(() => { timers.delete(timer); waiters.delete(wake); resolve(false); }, ms);
      timers.add(timer);
      waiters.add(wake);
    });
  const firstSequence = () => buffer[0]?.sequence ?? next;

  function append(item: Item, element: string, value: string | undefined, attributes: Record<string, string>, timestamp: string): void {
    const stored: Stored = { sequence: next, timestamp, item, element, attributes, ...(value === undefined ? {} : { value }) };
    next += 1;
    buffer.push(stored);
    if (buffer.length > bufferSize) buffer.shift();
    const key = `${item.uuid}\u0000${item.id}`;
    const code = attributes['nativeCode'];
    if (item.category !== 'CONDITION' || element === 'Unavailable' || (element === 'Normal' && code === undefined)) latest.set(key, [stored]);
    else {
      const others = (latest.get(key) ?? []).filter((entry) => (entry.element === 'Warning' || entry.element === 'Fault') && entry.attributes['nativeCode'] !== code);
      latest.set(key, element === 'Normal' ? (others.length > 0 ? others : [stored]) : [...others, stored]);
    }
  }

  function seedBuffer(): void {
    buffer = [];
    latest = new Map();
    next = 1;
    const now = new Date().toISOString();
    for (const entry of seed) {
      const item = items.find((candidate) => candidate.id === entry.id);
      if (item !== undefined) append(item, entry.element, entry.value, entry.attributes, entry.timestamp);
    }
    for (const item of items) {
      if (!latest.has(`${item.uuid}\u0000${item.id}`)) append(item, item.category === 'CONDITION' ? 'Unavailable' : item.element, item.category === 'CONDITION' ? undefined : 'UNAVAILABLE', {}, now);
    }
  }

  function add(input: ObservationInput): void {
    const item = items.find((candidate) => candidate.id === input.dataItemId);
    if (item === undefined) throw new Error(`no data item ${input.dataItemId} in the device model`);
    const element = item.category === 'CONDITION' ? input.level ?? 'Normal' : item.element;
    const attributes = Object.fromEntries(Object.entries({ nativeCode: input.nativeCode, nativeSeverity: input.nativeSeverity }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    append(item, element, input.value, attributes, new Date(input.at ?? Date.now()).toISOString());
  }

  const header = (nextSequence: number) =>
    `<Header${attrs({ creationTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), sender: 'plantfabric-test-agent', instanceId, version: '1.7.0.0', deviceModelChangeTime: startedAt, bufferSize, nextSequence, firstSequence: firstSequence(), lastSequence: next - 1 })}/>`;

  function streamsXml(nextSequence: number, observations: readonly Stored[]): string {
    const body = devices.map((device) => {
      const mine = observations.filter((entry) => entry.item.uuid === device.uuid && entry.item.device === device.name);
      const components = [...new Set(mine.map((entry) => entry.item.componentId))].map((componentId) => {
        const ofComponent = mine.filter((entry) => entry.item.componentId === componentId);
        const { component, componentName } = ofComponent[0]!.item;
        const groups = (['Samples', 'Events', 'Condition'] as const).map((group, index) => {
          const entries = ofComponent.filter((entry) => entry.item.category === (['SAMPLE', 'EVENT', 'CONDITION'] as const)[index]).sort((a, b) => a.sequence - b.sequence);
          if (entries.length === 0) return '';
          const lines = entries.map((entry) => {
            const { item } = entry;
            // The condition type comes from the probe: cppagent 1.8 upper-cases extension prefixes (X:FILTER) in streams, which the schema refuses.
            const a = attrs({ dataItemId: item.id, name: item.name, sequence: entry.sequence, subType: item.subType, timestamp: entry.timestamp, ...(item.category === 'CONDITION' ? { type: item.type } : {}), ...entry.attributes });
            return entry.value === undefined ? `<${entry.element}${a}/>` : `<${entry.element}${a}>${escape(entry.value)}</${entry.element}>`;
          });
          return `<${group}>${lines.join('')}</${group}>`;
        });
        return `<ComponentStream${attrs({ component, name: componentName, componentId })}>${groups.join('')}</ComponentStream>`;
      });
      return components.length === 0 ? '' : `<DeviceStream${attrs({ name: device.name, uuid: device.uuid })}>${components.join('')}</DeviceStream>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<MTConnectStreams ${NS('Streams')}>${header(nextSequence)}<Streams>${body.join('')}</Streams></MTConnectStreams>\n`;
  }

  const errorXml = (code: string, text: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<MTConnectError ${NS('Error')}><Header${attrs({ creationTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), sender: 'plantfabric-test-agent', instanceId, version: '1.7.0.0', bufferSize })}/><Errors><Error errorCode="${code}">${escape(text)}</Error></Errors></MTConnectError>\n`;
  const probeXml = () => devicesXml.replace(/(<Header\b[^>]*\binstanceId=")[^"]*"/, `$1${instanceId}"`);
  const currentXml = () => streamsXml(next, [...latest.values()].flat());
  function sampleXml(from: number, count: number): string {
    const chosen = buffer.filter((entry) => entry.sequence >= from).slice(0, count);
    return streamsXml(chosen.length === count ? chosen.at(-1)!.sequence + 1 : next, chosen);
  }
  /** A sample document as served: whole, or cut in half once after malformNext(). */
  function served(xml: string): Buffer {
    const bytes = Buffer.from(xml);
    if (!malform) return bytes;
    malform = false;
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
    malformedServed.push(cut);
    return cut;
  }

  async function stream(res: ServerResponse, from: number, count: number, intervalMs: number, heartbeatMs: number): Promise<void> {
    const boundary = `pf${instanceId}x${streamsOpened}`;
    streamsOpened += 1;
    streams.add(res);
    res.on('close', () => streams.delete(res));
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace;boundary=${boundary}`, 'cache-control': 'no-cache', connection: 'close' });
    res.flushHeaders();
    const write = (body: Buffer) => res.write(Buffer.concat([Buffer.from(`--${boundary}\r\nContent-type: text/xml\r\nContent-length: ${body.length}\r\n\r\n`), body, Buffer.from('\r\n')]));
    let cursor = from;
    while (!closed && !res.destroyed) {
      if (muted) {
        await pause(60_000);
        continue;
      }
      // Like cppagent: a stream whose position fell out of the buffer jumps to its oldest observation.
      cursor = Math.max(cursor, firstSequence());
      const chosen = buffer.filter((entry) => entry.sequence >= cursor).slice(0, count);
      if (chosen.length > 0) {
        cursor = chosen.at(-1)!.sequence + 1;
        write(served(streamsXml(cursor, chosen)));
        if (intervalMs > 0) await pause(intervalMs);
      } else if (!(await pause(heartbeatMs)) && !muted && !res.destroyed) {
        write(served(streamsXml(cursor, [])));
      }
    }
  }

  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://agent');
    const send = (status: number, body: string | Buffer) => res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    const request = url.pathname.split('/').filter(Boolean).at(-1);
    if (request === 'probe') return send(200, probeXml());
    if (request === 'current') return send(200, currentXml());
    if (request !== 'sample') return send(400, errorXml('UNSUPPORTED', `unsupported request ${url.pathname}`));
    const params = url.searchParams;
    const from = params.has('from') ? Number(params.get('from')) : firstSequence();
    const count = Number(params.get('count') ?? 100);
    if (params.has('interval')) return void stream(res, from, count, Number(params.get('interval')), Number(params.get('heartbeat') ?? 10_000));
    if (from > next) return send(400, errorXml('OUT_OF_RANGE', `'from' must be less than ${next + 1}`));
    if (from < firstSequence() && agent.expiredFrom === 'error') return send(400, errorXml('OUT_OF_RANGE', `'from' must be greater than ${firstSequence() - 1}`));
    return send(200, served(sampleXml(Math.max(from, firstSequence()), count)));
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  seedBuffer();

  const agent: MtconnectTestAgent = {
    url: `http://127.0.0.1:${options.port}`,
    get instanceId() { return String(instanceId); },
    get firstSequence() { return firstSequence(); },
    get nextSequence() { return next; },
    expiredFrom: 'error',
    requests,
    get streamsOpened() { return streamsOpened; },
    malformedServed,
    push(...inputs) {
      inputs.forEach(add);
      wakeAll();
      return next - 1;
    },
    overrun(...inputs) {
      const from = next;
      inputs.forEach(add);
      buffer = buffer.filter((entry) => entry.sequence >= next);
      wakeAll();
      return { from, to: next - 1 };
    },
    restart() {
      instanceId += 1;
      seedBuffer();
      for (const res of streams) res.destroy();
      server.closeAllConnections();
    },
    malformNext() { malform = true; },
    mute(on) {
      muted = on;
      wakeAll();
    },
    documents: () => ({ probe: probeXml(), current: currentXml(), sample: sampleXml(firstSequence(), 50), heartbeat: streamsXml(next, []), error: errorXml('OUT_OF_RANGE', "'from' must be greater than 0") }),
    async close() {
      closed = true;
      wakeAll();
      for (const timer of timers) clearTimeout(timer);
      for (const res of streams) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return agent;
}
