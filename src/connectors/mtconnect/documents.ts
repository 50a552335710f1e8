/**
 * Pure parsing of the three documents an MTConnect agent answers with: MTConnectDevices (probe), MTConnectStreams
 * (current, sample, and every part of a sample stream) and MTConnectError. Namespace prefixes and schema versions are
 * ignored on purpose: agents from 1.1 to 2.x shape these documents the same way where it matters here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describeError } from '../../core/errors.js';

export const CATEGORIES = ['SAMPLE', 'EVENT', 'CONDITION'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One DataItem of the probe: what a binding's `dataItemId` refers to. */
export interface DataItemInfo {
  id: string;
  name?: string;
  category: Category;
  type: string;
  subType?: string;
  units?: string;
  device: string;
  deviceUuid: string;
  /** The element name of the component the item belongs to (Linear, Controller, Path, ...). */
  component: string;
  componentId?: string;
}

export interface DevicesDocument {
  kind: 'devices';
  instanceId: string;
  devices: Array<{ name: string; uuid: string }>;
  dataItems: DataItemInfo[];
}

export interface StreamsHeader {
  instanceId: string;
  nextSequence: number;
  firstSequence: number;
  lastSequence: number;
}

/** One observation of a streams document, as the agent wrote it. */
export interface Observation {
  device: string;
  deviceUuid: string;
  dataItemId: string;
  sequence: number;
  /** The agent's `timestamp` attribute, epoch ms. */
  ts: number;
  category: Category;
  /** The element name: SpindleSpeed, Execution, ... for samples and events; Normal, Warning, Fault, Unavailable for conditions. */
  element: string;
  /** The element's text; undefined when empty (a condition without a message). */
  value?: string;
  nativeCode?: string;
  nativeSeverity?: string;
  qualifier?: string;
  /** For conditions: the condition's type attribute (LOAD, SYSTEM, ...). */
  conditionType?: string;
}

export interface StreamsDocument {
  kind: 'streams';
  header: StreamsHeader;
  /** Every observation, in sequence order (the agent groups them by component, not by time). */
  observations: Observation[];
}

export interface ErrorDocument {
  kind: 'error';
  /** Absent in agents older than 1.1 that leave the header out of errors. */
  instanceId?: string;
  errors: Array<{ code: string; message: string }>;
}

export type AgentDocument = DevicesDocument | StreamsDocument | ErrorDocument;
export type ParsedDocument = { ok: true; document: AgentDocument } | { ok: false; message: string };

/** What fast-xml-parser makes of an element with `isArray` always on: attributes under `$`, text under `#text`. */
interface XmlNode {
  $?: Record<string, string>;
  '#text'?: string;
  [child: string]: unknown;
}

const parser = (): XMLParser =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    attributesGroupName: '$',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });

const CONTAINERS: Record<string, Category> = { Samples: 'SAMPLE', Events: 'EVENT', Condition: 'CONDITION' };

class DocumentError extends Error {}

function nodes(value: unknown): XmlNode[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is XmlNode => item !== null && typeof item === 'object');
}

function firstNode(parent: XmlNode | undefined, name: string): XmlNode | undefined {
  return parent === undefined ? undefined : nodes(parent[name])[0];
}

/** Child elements of any name (a component's children are named by their type: Axes, Linear, Controller, ...). */
function childElements(parent: XmlNode): Array<[string, XmlNode]> {
  return Object.entries(parent).flatMap(([name, value]) => (name === '$' || name === '#text' ? [] : nodes(value).map((node) => [name, node] as [string, XmlNode])));
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node.$?.[name];
  return value === undefined || value === '' ? undefined : value;
}

function required(node: XmlNode, name: string, where: string): string {
  const value = attribute(node, name);
  if (value === undefined) throw new DocumentError(`${where} lacks the ${name} attribute`);
  return value;
}

function sequenceNumber(node: XmlNode, name: string, where: string): number {
  const text = required(node, name, where);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new DocumentError(`${where} ${name}="${text}" is not a sequence number`);
  return value;
}

function category(text: string | undefined, where: string): Category {
  const upper = text?.toUpperCase();
  if (upper === 'SAMPLE' || upper === 'EVENT' || upper === 'CONDITION') return upper;
  throw new DocumentError(`${where} has category "${text ?? ''}", not SAMPLE, EVENT or CONDITION`);
}

function collectDataItems(component: XmlNode, element: string, device: { name: string; uuid: string }, out: DataItemInfo[]): void {
  for (const item of nodes(firstNode(component, 'DataItems')?.['DataItem'])) {
    const id = required(item, 'id', 'a DataItem');
    const info: DataItemInfo = {
      id,
      category: category(attribute(item, 'category'), `DataItem ${id}`),
      type: required(item, 'type', `DataItem ${id}`),
      device: device.name,
      deviceUuid: device.uuid,
      component: element,
    };
    const optional = { name: attribute(item, 'name'), subType: attribute(item, 'subType'), units: attribute(item, 'units'), componentId: attribute(component, 'id') };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(info, { [key]: value });
    out.push(info);
  }
  for (const [name, child] of childElements(firstNode(component, 'Components') ?? {})) collectDataItems(child, name, device, out);
}

function devicesDocument(root: XmlNode): DevicesDocument {
  const header = firstNode(root, 'Header');
  if (header === undefined) throw new DocumentError('MTConnectDevices has no Header');
  const devices: Array<{ name: string; uuid: string }> = [];
  const dataItems: DataItemInfo[] = [];
  for (const [element, node] of childElements(firstNode(root, 'Devices') ?? {})) {
    if (element !== 'Device' && element !== 'Agent') continue;
    const name = attribute(node, 'name') ?? required(node, 'id', `a ${element}`);
    const device = { name, uuid: attribute(node, 'uuid') ?? name };
    devices.push(device);
    collectDataItems(node, element, device, dataItems);
  }
  return { kind: 'devices', instanceId: required(header, 'instanceId', 'the Header'), devices, dataItems };
}

function streamsDocument(root: XmlNode): StreamsDocument {
  const headerNode = firstNode(root, 'Header');
  if (headerNode === undefined) throw new DocumentError('MTConnectStreams has no Header');
  const header: StreamsHeader = {
    instanceId: required(headerNode, 'instanceId', 'the Header'),
    nextSequence: sequenceNumber(headerNode, 'nextSequence', 'the Header'),
    firstSequence: sequenceNumber(headerNode, 'firstSequence', 'the Header'),
    lastSequence: sequenceNumber(headerNode, 'lastSequence', 'the Header'),
  };
  const observations: Observation[] = [];
  for (const deviceStream of nodes(firstNode(root, 'Streams')?.['DeviceStream'])) {
    const device = required(deviceStream, 'name', 'a DeviceStream');
    const deviceUuid = attribute(deviceStream, 'uuid') ?? device;
    for (const componentStream of nodes(deviceStream['ComponentStream'])) {
      for (const [container, group] of childElements(componentStream)) {
        const observed = CONTAINERS[container];
        if (observed === undefined) continue;
        for (const [element, node] of childElements(group)) {
          const dataItemId = required(node, 'dataItemId', `a ${element} observation`);
          const where = `observation ${dataItemId}`;
          const timestamp = required(node, 'timestamp', where);
          const ts = Date.parse(timestamp);
          if (Number.isNaN(ts)) throw new DocumentError(`${where} has timestamp "${timestamp}", not ISO 8601`);
          const text = node['#text'];
          const observation: Observation = { device, deviceUuid, dataItemId, sequence: sequenceNumber(node, 'sequence', where), ts, category: observed, element };
          if (typeof text === 'string' && text !== '') observation.value = text;
          const extra = { nativeCode: attribute(node, 'nativeCode'), nativeSeverity: attribute(node, 'nativeSeverity'), qualifier: attribute(node, 'qualifier') };
          for (const [key, value] of Object.entries(extra)) if (value !== undefined) Object.assign(observation, { [key]: value });
          if (observed === 'CONDITION' && attribute(node, 'type') !== undefined) observation.conditionType = attribute(node, 'type');
          observations.push(observation);
        }
      }
    }
  }
  observations.sort((a, b) => a.sequence - b.sequence);
  return { kind: 'streams', header, observations };
}

function errorDocument(root: XmlNode): ErrorDocument {
  const header = firstNode(root, 'Header');
  // 1.1 and later wrap errors in <Errors>; 1.0 has a single <Error> under the root.
  const errorNodes = [...(root['Error'] === undefined ? [] : (root['Error'] as unknown[])), ...((firstNode(root, 'Errors')?.['Error'] as unknown[] | undefined) ?? [])];
  const errors = errorNodes.map((node) => {
    if (typeof node === 'string') return { code: 'UNKNOWN', message: node };
    const element = node as XmlNode;
    return { code: attribute(element, 'errorCode') ?? 'UNKNOWN', message: typeof element['#text'] === 'string' ? element['#text'] : '' };
  });
  const instanceId = header === undefined ? undefined : attribute(header, 'instanceId');
  return { kind: 'error', ...(instanceId === undefined ? {} : { instanceId }), errors };
}

/** Parses an agent's answer; never throws: a document that is not well-formed or not MTConnect comes back with the reason. */
export function parseAgentDocument(raw: Uint8Array | string): ParsedDocument {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (error) {
    return { ok: false, message: `not UTF-8 text (${describeError(error)})` };
  }
  if (text.trim() === '') return { ok: false, message: 'empty document' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, message: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  try {
    const parsed = parser().parse(text) as Record<string, unknown>;
    const [rootName, rootValue] = Object.entries(parsed)[0] ?? [];
    const root = nodes(rootValue)[0] ?? {};
    switch (rootName) {
      case 'MTConnectDevices':
        return { ok: true, document: devicesDocument(root) };
      case 'MTConnectStreams':
        return { ok: true, document: streamsDocument(root) };
      case 'MTConnectError':
        return { ok: true, document: errorDocument(root) };
      default:
        return { ok: false, message: `root element ${rootName ?? '(none)'} is not an MTConnect document` };
    }
  } catch (error) {
    if (error instanceof DocumentError) return { ok: false, message: error.message };
    return { ok: false, message: `not parseable: ${describeError(error)}` };
  }
}
