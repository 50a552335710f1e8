/**
 * The documents of the demo plant's MTConnect agent, as MTConnect 1.7 XML: MTConnectDevices (probe), MTConnectStreams
 * (current, sample and every part of a sample stream) and MTConnectError, plus the extension schema that declares the
 * vendor observation elements (`<x:PackmlState>`) so streams validate against the standard schema and ours together.
 * Pure functions of the device model, the header fields and the observations; times are the simulated plant's.
 */
import type { BufferedObservation } from './mtconnect-buffer.js';
import { componentsOf, EXTENSION_PREFIX, type AgentComponent, type AgentDataItem, type AgentDevice, type DeviceModel } from './mtconnect-model.js';

/** The MTConnect version the documents follow. */
export const MTCONNECT_VERSION = '1.7';
/** The agent version the Header reports. */
export const AGENT_VERSION = '1.7.0.0';

/** The namespaces of the vendor extension; the streams one has a schema, served by the agent at EXTENSION_SCHEMA_PATH. */
export const EXTENSION_NAMESPACES = {
  Devices: `urn:plantfabric:PlantfabricDevices:${MTCONNECT_VERSION}`,
  Streams: `urn:plantfabric:PlantfabricStreams:${MTCONNECT_VERSION}`,
} as const;
export const EXTENSION_SCHEMA_PATH = `/schemas/PlantfabricStreams_${MTCONNECT_VERSION}.xsd`;

/** Where the standard schemas are published. */
export const standardSchemaUrl = (kind: DocumentKind): string => `http://schemas.mtconnect.org/schemas/MTConnect${kind}_${MTCONNECT_VERSION}.xsd`;
const standardNamespace = (kind: DocumentKind): string => `urn:mtconnect.org:MTConnect${kind}:${MTCONNECT_VERSION}`;

type DocumentKind = 'Devices' | 'Streams' | 'Error';

/** Header fields every document carries. Times are epoch ms of simulated time. */
export interface HeaderFields {
  instanceId: number;
  sender: string;
  bufferSize: number;
  creationTime: number;
  deviceModelChangeTime: number;
}

/** The sequence numbers of a streams Header. */
export interface SequenceFields {
  firstSequence: number;
  lastSequence: number;
  nextSequence: number;
}

/** The MTConnect error codes this agent answers with. */
export type AgentErrorCode = 'INVALID_REQUEST' | 'INVALID_URI' | 'NO_DEVICE' | 'OUT_OF_RANGE' | 'UNSUPPORTED';

interface XmlElement {
  name: string;
  attributes?: Record<string, string | number | undefined>;
  text?: string;
  children?: XmlElement[];
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Two-space indented XML, so a `curl` of the agent reads like cppagent's answers. */
function render(element: XmlElement, indent = ''): string {
  const attributes = Object.entries(element.attributes ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  const open = `${indent}<${element.name}${attributes}`;
  const children = element.children ?? [];
  if (children.length > 0) return `${open}>\n${children.map((child) => render(child, `${indent}  `)).join('')}${indent}</${element.name}>\n`;
  if (element.text !== undefined && element.text !== '') return `${open}>${escapeXml(element.text)}</${element.name}>\n`;
  return `${open}/>\n`;
}

/** ISO 8601 UTC with milliseconds. */
export const isoTime = (ts: number): string => new Date(ts).toISOString();

function rootAttributes(kind: DocumentKind): Record<string, string> {
  const locations = [standardNamespace(kind), standardSchemaUrl(kind)];
  const attributes: Record<string, string> = {
    'xmlns:m': standardNamespace(kind),
    xmlns: standardNamespace(kind),
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  };
  if (kind !== 'Error') attributes[`xmlns:${EXTENSION_PREFIX}`] = EXTENSION_NAMESPACES[kind];
  if (kind === 'Streams') locations.push(EXTENSION_NAMESPACES.Streams, EXTENSION_SCHEMA_PATH);
  attributes['xsi:schemaLocation'] = locations.join(' ');
  return attributes;
}

function document(kind: DocumentKind, header: Record<string, string | number>, body: XmlElement): string {
  const root: XmlElement = { name: `MTConnect${kind}`, attributes: rootAttributes(kind), children: [{ name: 'Header', attributes: header }, body] };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root)}`;
}

function commonHeader(fields: HeaderFields): Record<string, string | number> {
  return { creationTime: isoTime(fields.creationTime), sender: fields.sender, instanceId: fields.instanceId, version: AGENT_VERSION, deviceModelChangeTime: isoTime(fields.deviceModelChangeTime) };
}

function dataItemElement(item: AgentDataItem): XmlElement {
  return {
    name: 'DataItem',
    attributes: { category: item.category, id: item.id, name: item.name, type: item.type, subType: item.subType, units: item.units, nativeUnits: item.units, statistic: item.statistic },
  };
}

function componentElement(component: AgentComponent, uuid?: string): XmlElement {
  const children: XmlElement[] = [];
  if (component.element === 'Device') {
    children.push({ name: 'Description', attributes: { manufacturer: 'Plantfabric', model: 'demo-plant CNC' }, text: 'Simulated CNC machine of the Plantfabric demo plant' });
  }
  if (component.items.length > 0) children.push({ name: 'DataItems', children: component.items.map(dataItemElement) });
  if (component.children.length > 0) children.push({ name: 'Components', children: component.children.map((child) => componentElement(child)) });
  const version = component.element === 'Agent' ? MTCONNECT_VERSION : undefined;
  return { name: component.element, attributes: { id: component.id, name: component.name, uuid, mtconnectVersion: version }, children };
}

/** The asset buffer the Header reports (1.7 wants at least 1); this agent holds no assets. */
const ASSET_BUFFER_SIZE = 1024;

/** The probe answer: the given devices; the 1.7 schema wants the Agent device first. */
export function probeDocument(devices: readonly AgentDevice[], header: HeaderFields): string {
  return document(
    'Devices',
    { ...commonHeader(header), assetBufferSize: ASSET_BUFFER_SIZE, assetCount: 0, bufferSize: header.bufferSize },
    { name: 'Devices', children: devices.map((device) => componentElement(device.root, device.uuid)) },
  );
}

function observationElementOf(item: AgentDataItem, entry: BufferedObservation): XmlElement {
  const { observation, sequence } = entry;
  const attributes: Record<string, string | number | undefined> = { dataItemId: item.id, name: item.name, sequence, subType: item.subType, timestamp: isoTime(observation.ts) };
  if (item.category === 'SAMPLE') attributes['statistic'] = item.statistic;
  if (item.category !== 'CONDITION') return { name: item.element, attributes, text: observation.value };
  const condition = observation.condition;
  attributes['type'] = item.type;
  if (condition === undefined) return { name: 'Unavailable', attributes };
  attributes['nativeCode'] = condition.nativeCode;
  return { name: condition.level === 'FAULT' ? 'Fault' : 'Normal', attributes, ...(condition.text === undefined ? {} : { text: condition.text }) };
}

const GROUPS = [
  ['Samples', 'SAMPLE'],
  ['Events', 'EVENT'],
  ['Condition', 'CONDITION'],
] as const;

function componentStream(component: AgentComponent, entries: readonly BufferedObservation[], model: DeviceModel): XmlElement | undefined {
  const mine = entries.filter((entry) => model.items.get(entry.observation.dataItemId)?.componentId === component.id).sort((a, b) => a.sequence - b.sequence);
  if (mine.length === 0) return undefined;
  const groups = GROUPS.flatMap(([group, category]): XmlElement[] => {
    const children = mine.flatMap((entry) => {
      const item = model.items.get(entry.observation.dataItemId)!;
      return item.category === category ? [observationElementOf(item, entry)] : [];
    });
    return children.length === 0 ? [] : [{ name: group, children }];
  });
  return { name: 'ComponentStream', attributes: { component: component.element, name: component.name, componentId: component.id }, children: groups };
}

/**
 * A streams document (current, sample, a stream part, a heartbeat) for the given devices: each device with
 * observations gets a DeviceStream, each component with observations a ComponentStream, ordered by sequence.
 */
export function streamsDocument(model: DeviceModel, devices: readonly AgentDevice[], header: HeaderFields & SequenceFields, entries: readonly BufferedObservation[]): string {
  const deviceStreams = devices.flatMap((device): XmlElement[] => {
    const components = componentsOf(device).flatMap((component) => componentStream(component, entries, model) ?? []);
    return components.length === 0 ? [] : [{ name: 'DeviceStream', attributes: { name: device.name, uuid: device.uuid }, children: components }];
  });
  const { firstSequence, lastSequence, nextSequence } = header;
  return document('Streams', { ...commonHeader(header), bufferSize: header.bufferSize, nextSequence, firstSequence, lastSequence }, { name: 'Streams', children: deviceStreams });
}

/** An MTConnectError document. */
export function errorDocument(header: HeaderFields, code: AgentErrorCode, message: string): string {
  const { deviceModelChangeTime: _unused, ...fields } = commonHeader(header);
  return document('Error', { ...fields, bufferSize: header.bufferSize }, { name: 'Errors', children: [{ name: 'Error', attributes: { errorCode: code }, text: message }] });
}

/** Extension types whose values are whole numbers; other extension events are strings. */
const INTEGER_EXTENSIONS: ReadonlySet<string> = new Set([`${EXTENSION_PREFIX}:PACKML_STATE`]);

/**
 * The XML schema of the extension's streams elements: each one joins the standard's Event (or Sample) substitution
 * group, so a validator that has both schemas accepts `<x:PackmlState>` where the standard allows an event.
 * @param standardLocation where the validator finds MTConnectStreams_1.7.xsd (the published copy by default)
 */
export function extensionStreamsSchema(model: DeviceModel, standardLocation = standardSchemaUrl('Streams')): string {
  const extensions = new Map<string, AgentDataItem>();
  for (const item of model.items.values()) if (item.type.startsWith(`${EXTENSION_PREFIX}:`) && item.category !== 'CONDITION') extensions.set(item.element, item);
  const elements = [...extensions.values()].map((item): XmlElement => {
    const type = item.category === 'SAMPLE' ? 'm:SampleType' : INTEGER_EXTENSIONS.has(item.type) ? 'm:IntegerEventType' : 'm:StringEventType';
    return {
      name: 'xs:element',
      attributes: { name: item.element.slice(EXTENSION_PREFIX.length + 1), type, substitutionGroup: item.category === 'SAMPLE' ? 'm:Sample' : 'm:Event' },
    };
  });
  const schema: XmlElement = {
    name: 'xs:schema',
    attributes: {
      'xmlns:xs': 'http://www.w3.org/2001/XMLSchema',
      'xmlns:m': standardNamespace('Streams'),
      xmlns: EXTENSION_NAMESPACES.Streams,
      targetNamespace: EXTENSION_NAMESPACES.Streams,
      elementFormDefault: 'qualified',
      attributeFormDefault: 'unqualified',
    },
    children: [{ name: 'xs:import', attributes: { namespace: standardNamespace('Streams'), schemaLocation: standardLocation } }, ...elements],
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(schema)}`;
}
