/**
 * The device model the demo plant's MTConnect agent serves, derived from the CNC feed's data items: one Device per
 * CNC holding its AVAILABILITY, a Controller with one Path for the machine's events, samples and SYSTEM condition,
 * and, where the spindle is instrumented (cnc-1), Axes with the spindle as Rotary axis C. Ahead of them the Agent
 * device the 1.7 schema requires (its availability and device/asset change events). Pure: the probe and streams
 * documents are written from it (mtconnect-documents.ts).
 */
import type { CncDataItem, CncObservation } from './cnc-feed.js';

/** The prefix of vendor extensions in the agent's documents (`x:PACKML_STATE`, `<x:PackmlState>`). */
export const EXTENSION_PREFIX = 'x';

/** A component of a device as the probe shows it. */
export interface AgentComponent {
  /** The element name in the probe and the `component` attribute of its ComponentStream. */
  element: 'Agent' | 'Device' | 'Controller' | 'Path' | 'Axes' | 'Rotary';
  id: string;
  name: string;
  items: AgentDataItem[];
  children: AgentComponent[];
}

/** A data item with where it sits and how its observations are written. */
export interface AgentDataItem extends CncDataItem {
  /** The observation element in streams documents: Execution, PartCount, x:PackmlState (not used for conditions). */
  element: string;
  componentId: string;
}

/** One Device of the agent. */
export interface AgentDevice {
  name: string;
  uuid: string;
  /** The Device component, the root of the device's components. */
  root: AgentComponent;
}

/** The Agent device, every CNC device, and a lookup of data items by id (ids are unique across the agent). */
export interface DeviceModel {
  agent: AgentDevice;
  devices: AgentDevice[];
  items: ReadonlyMap<string, AgentDataItem>;
}

/** The Agent device's name, as cppagent names it. */
export const AGENT_DEVICE = 'Agent';

/**
 * The streams element of a data item type: each word capitalised (PART_COUNT → PartCount), an extension keeping its
 * prefix (x:PACKML_STATE → x:PackmlState), as the standard names them.
 */
export function observationElement(type: string): string {
  const colon = type.indexOf(':');
  const prefix = colon < 0 ? '' : type.slice(0, colon + 1);
  const words = type.slice(colon + 1).toLowerCase().split('_');
  return prefix + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** The uuid a device is served with: stable across runs and restarts, so a binding may name it. */
export function deviceUuid(device: string): string {
  return `plantfabric-sim-${device}`;
}

function component(element: AgentComponent['element'], id: string, name: string): AgentComponent {
  return { element, id, name, items: [], children: [] };
}

const AGENT_ITEMS = [
  ['avail', 'AVAILABILITY'],
  ['device-added', 'DEVICE_ADDED'],
  ['device-removed', 'DEVICE_REMOVED'],
  ['device-changed', 'DEVICE_CHANGED'],
  ['asset-changed', 'ASSET_CHANGED'],
  ['asset-removed', 'ASSET_REMOVED'],
] as const;

function agentDevice(items: Map<string, AgentDataItem>): AgentDevice {
  const root = component('Agent', 'agent', AGENT_DEVICE);
  for (const [suffix, type] of AGENT_ITEMS) {
    const item: AgentDataItem = { device: AGENT_DEVICE, id: `agent-${suffix}`, name: suffix.replace('-', '_'), category: 'EVENT', type, component: 'Device', element: observationElement(type), componentId: root.id };
    root.items.push(item);
    items.set(item.id, item);
  }
  return { name: AGENT_DEVICE, uuid: deviceUuid('agent'), root };
}

/** What the Agent device reports when it starts: available, and each device added. */
export function agentStartObservations(model: DeviceModel, ts: number): CncObservation[] {
  const at = (suffix: string, value: string): CncObservation => ({ device: AGENT_DEVICE, dataItemId: `agent-${suffix}`, value, ts });
  return [
    at('avail', 'AVAILABLE'),
    ...model.devices.map((device) => at('device-added', device.uuid)),
    at('device-removed', 'UNAVAILABLE'),
    at('device-changed', 'UNAVAILABLE'),
    at('asset-changed', 'UNAVAILABLE'),
    at('asset-removed', 'UNAVAILABLE'),
  ];
}

/** Builds the device model from the feed's data items, devices in the order they first appear. */
export function buildDeviceModel(dataItems: readonly CncDataItem[]): DeviceModel {
  const devices = new Map<string, AgentDevice & { path: AgentComponent; spindle?: AgentComponent }>();
  const items = new Map<string, AgentDataItem>();
  const agent = agentDevice(items);
  for (const item of dataItems) {
    let device = devices.get(item.device);
    if (device === undefined) {
      const root = component('Device', item.device, item.device);
      const controller = component('Controller', `${item.device}-controller`, 'controller');
      const path = component('Path', `${item.device}-path`, 'path');
      controller.children.push(path);
      root.children.push(controller);
      device = { name: item.device, uuid: deviceUuid(item.device), root, path };
      devices.set(item.device, device);
    }
    let owner: AgentComponent;
    if (item.component === 'Device') owner = device.root;
    else if (item.component === 'Path') owner = device.path;
    else owner = device.spindle ?? addSpindle(device);
    const served: AgentDataItem = { ...item, element: observationElement(item.type), componentId: owner.id };
    owner.items.push(served);
    items.set(item.id, served);
  }
  return { agent, devices: [...devices.values()].map(({ name, uuid, root }) => ({ name, uuid, root })), items };
}

/** Axes with the spindle as Rotary axis C, created for the first item that sits on the spindle. */
function addSpindle(device: { name: string; root: AgentComponent; spindle?: AgentComponent }): AgentComponent {
  const axes = component('Axes', `${device.name}-axes`, 'base');
  const spindle = component('Rotary', `${device.name}-spindle`, 'C');
  axes.children.push(spindle);
  device.root.children.unshift(axes);
  device.spindle = spindle;
  return spindle;
}

/** Every component of a device, depth first (the Device itself first). */
export function componentsOf(device: AgentDevice): AgentComponent[] {
  const out: AgentComponent[] = [];
  const walk = (node: AgentComponent): void => {
    out.push(node);
    node.children.forEach(walk);
  };
  walk(device.root);
  return out;
}
