/**
 * The demo plant's OPC UA server (node-opcua): a folder per machine under Objects/Plant, one variable per tag with
 * node id `ns=1;s=<machine>.<Tag>`, each value set with its simulated source timestamp. Subscribers with sampling
 * interval 0 see every change (the server advertises MinSupportedSampleRate 0 and its variables
 * MinimumSamplingInterval 0): the model never writes one node twice in the same millisecond, and only writes changes.
 * A subscriber sampling at, say, 250 ms sees the value every 250 ms instead, and misses changes in between. `startOpcuaEndpoint` is the generic part the load generator reuses.
 */
import type { OPCUAServer, UAVariable } from 'node-opcua';
import type { SimConfig } from '../config.js';
import { machineTags } from '../model/catalog.js';
import type { TagDataType, TagUpdate, TagValue } from '../model/types.js';
import { pickFreePort } from './ports.js';

/** A variable to create. */
export interface OpcuaVariableDefinition {
  /** Browse name. */
  name: string;
  /** String identifier in namespace 1: the node id is `ns=1;s=<id>`. */
  id: string;
  dataType: TagDataType;
  initial: TagValue;
  initialTs: number;
}

/** A folder of variables to create. */
export interface OpcuaFolderDefinition {
  name: string;
  variables: OpcuaVariableDefinition[];
}

/** A running OPC UA server. */
export interface OpcuaEndpoint {
  endpointUrl: string;
  port: number;
  /** Sets a variable by its string id; false when there is no such variable. */
  set(id: string, value: TagValue, sourceTimestamp: number): boolean;
  close(): Promise<void>;
}

/** Where to listen and what to serve. */
export interface OpcuaEndpointOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  resourcePath: string;
  /** Folders under Objects/<rootFolder>. */
  rootFolder: string;
  folders: OpcuaFolderDefinition[];
}

/** Starts a node-opcua server with the given folders and variables (security None, anonymous access). */
export async function startOpcuaEndpoint(options: OpcuaEndpointOptions): Promise<OpcuaEndpoint> {
  const opcua = await import('node-opcua');
  const port = options.port === 0 ? await pickFreePort(options.host) : options.port;
  const server: OPCUAServer = new opcua.OPCUAServer({
    port,
    hostname: options.host,
    resourcePath: options.resourcePath,
    allowAnonymous: true,
    buildInfo: { productName: 'Plantfabric demo plant', manufacturerName: 'Plantfabric' },
    // With 0 advertised, an item monitored at sampling interval 0 is served change by change, without a coalescing
    // window: bursts of simulated steps would otherwise fold several changes into one notification.
    serverCapabilities: { minSupportedSampleRate: 0 },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const root = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: options.rootFolder });
  const variables = new Map<string, { node: UAVariable; dataType: TagDataType }>();
  for (const folder of options.folders) {
    const parent = namespace.addFolder(root, { browseName: folder.name });
    for (const definition of folder.variables) {
      const node = namespace.addVariable({
        componentOf: parent,
        browseName: definition.name,
        nodeId: `s=${definition.id}`,
        dataType: definition.dataType,
        // Exception-based: every value set is a change the subscription can report.
        minimumSamplingInterval: 0,
      });
      node.setValueFromSource(
        new opcua.Variant({ dataType: opcua.DataType[definition.dataType], value: definition.initial }),
        opcua.StatusCodes.Good,
        new Date(definition.initialTs),
      );
      variables.set(definition.id, { node, dataType: definition.dataType });
    }
  }
  await server.start();
  return {
    endpointUrl: `opc.tcp://${options.host}:${port}${options.resourcePath}`,
    port,
    set(id, value, sourceTimestamp) {
      const variable = variables.get(id);
      if (variable === undefined) return false;
      variable.node.setValueFromSource(
        new opcua.Variant({ dataType: opcua.DataType[variable.dataType], value }),
        opcua.StatusCodes.Good,
        new Date(sourceTimestamp),
      );
      return true;
    },
    async close() {
      await server.shutdown(0);
    },
  };
}

/** The node id string of a machine tag. */
export function opcuaNodeId(machine: string, tag: string): string {
  return `ns=1;s=${machine}.${tag}`;
}

/** Serves the machines whose protocol is opcua; restarts come back with the model's current values. */
export class OpcuaMachineServer {
  readonly #config: SimConfig;
  readonly #machines: Set<string>;
  readonly #snapshot: () => readonly TagUpdate[];
  #port: number;
  #endpoint: OpcuaEndpoint | undefined;

  /** `snapshot` gives every tag's current value when the server (re)starts. */
  constructor(config: SimConfig, snapshot: () => readonly TagUpdate[]) {
    this.#config = config;
    this.#machines = new Set(config.machines.filter((machine) => machine.protocol === 'opcua').map((machine) => machine.id));
    this.#snapshot = snapshot;
    this.#port = config.endpoints.opcua.port;
  }

  /** The endpoint URL (the port is fixed after the first start). */
  get endpointUrl(): string {
    return `opc.tcp://${this.#config.endpoints.host}:${this.#port}${this.#config.endpoints.opcua.resourcePath}`;
  }

  get running(): boolean {
    return this.#endpoint !== undefined;
  }

  /** Whether this server serves a machine. */
  serves(machine: string): boolean {
    return this.#machines.has(machine);
  }

  /** Applies a tag update of one of its machines (ignored while the server is down: a restart reads the snapshot). */
  apply(update: TagUpdate): void {
    this.#endpoint?.set(`${update.machine}.${update.tag}`, update.value, update.ts);
  }

  async start(): Promise<void> {
    if (this.#endpoint !== undefined) return;
    const current = new Map(this.#snapshot().map((update) => [`${update.machine}.${update.tag}`, update]));
    const folders = [...this.#machines].map((machine) => ({
      name: machine,
      variables: machineTags(this.#config, machine).map((tag) => {
        const id = `${machine}.${tag.name}`;
        const now = current.get(id);
        return {
          name: tag.name,
          id,
          dataType: tag.dataType,
          initial: now?.value ?? (tag.dataType === 'String' ? '' : 0),
          initialTs: now?.ts ?? Date.parse(this.#config.start),
        };
      }),
    }));
    this.#endpoint = await startOpcuaEndpoint({
      host: this.#config.endpoints.host,
      port: this.#port,
      resourcePath: this.#config.endpoints.opcua.resourcePath,
      rootFolder: 'Plant',
      folders,
    });
    this.#port = this.#endpoint.port;
    // The model kept stepping while the server started (it takes a second or two): catch up on what changed.
    for (const update of this.#snapshot()) {
      const id = `${update.machine}.${update.tag}`;
      if (this.#machines.has(update.machine) && current.get(id)?.ts !== update.ts) this.#endpoint.set(id, update.value, update.ts);
    }
  }

  /** Shuts the server down at once (clients see the connection drop). */
  async stop(): Promise<void> {
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }
}
