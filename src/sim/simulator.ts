/**
 * The demo plant, running: the model on its simulated clock and every endpoint fed from the model's update stream —
 * the OPC UA server, the Sparkplug B edge nodes and the RTLS feed on the given MQTT broker, the Modbus utility unit,
 * the enterprise HTTP systems, the camera posting to the layer's webhook, and the MTConnect agent of the CNC machines.
 * Any endpoint can be killed and brought back mid-run (connector health tests); `stop()` leaves nothing behind.
 */
import { describeError, PlantfabricError } from '../core/errors.js';
import { SimClock, type SimStep } from './clock.js';
import { MTCONNECT_DEFAULTS, type SimConfig } from './config.js';
import type { IncidentTimes } from './model/incidents.js';
import { Plant } from './model/plant.js';
import type { PlantUpdate, TagUpdate } from './model/types.js';
import { CncFeed } from './servers/cnc-feed.js';
import { EnterpriseServer, type EnterpriseSystem, type ReceivedRecord } from './servers/enterprise.js';
import { ModbusUtilityUnit, utilityRegisterMap, type RegisterEntry } from './servers/modbus-unit.js';
import { MtconnectAgent } from './servers/mtconnect-agent.js';
import { OpcuaMachineServer } from './servers/opcua-server.js';
import { RtlsPublisher } from './servers/rtls-publisher.js';
import { SparkplugLines } from './servers/sparkplug-lines.js';
import { VisionPoster } from './servers/vision-poster.js';

/** The endpoints that can be killed and brought back. */
export const ENDPOINT_NAMES = ['opcua', 'sparkplug', 'modbus', 'enterprise', 'rtls', 'vision', 'mtconnect'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** Where the simulator publishes and posts. */
export interface SimulatorOptions {
  /** The MQTT broker the Sparkplug edge nodes and the RTLS feed publish to, e.g. the layer's embedded broker. */
  brokerUrl: string;
  /** The layer's webhook URL for camera detections; without it the camera's findings are not posted. */
  webhookUrl?: string;
  /** HMAC-SHA256 secret for the `x-signature-256` header of camera posts. */
  webhookSecret?: string;
  /** Start the real-time stepper at once (default true); false leaves `clock.startTimers()` / `runSteps()` to the caller. */
  run?: boolean;
  /** Progress and problem lines; quiet when absent. */
  log?: (line: string) => void;
}

/** The endpoints as they run (ports picked for 0 filled in). */
export interface SimulatorEndpoints {
  opcua: { endpointUrl: string; nodeIdPattern: 'ns=1;s=<machine>.<Tag>' };
  sparkplug: { brokerUrl: string; nodes: Array<{ group: string; edge: string; devices: string[] }> };
  modbus: { host: string; port: number; unitId: number; registers: RegisterEntry[] };
  enterprise: { baseUrl: string; erp: string; cmms: string; qms: string; wms: string };
  rtls: { brokerUrl: string; topicFilter: string };
  vision: { webhookUrl: string | undefined };
  /** The MTConnect agent of the CNC machines: probe, current and sample under this URL (`/cnc-1/current` for one). */
  mtconnect: { url: string };
}

/** One endpoint's state. */
export interface EndpointStatus {
  running: boolean;
  /** For broker clients: connected (and, for Sparkplug, born). */
  online?: boolean;
  lastError?: string;
}

/** Receives every step's updates. */
export type UpdateListener = (updates: readonly PlantUpdate[], step: SimStep) => void;

/** A running demo plant. */
export interface SimulatorHandle {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly plant: Plant;
  readonly endpoints: SimulatorEndpoints;
  /** The CNC machines' observations, as the MTConnect agent serves them. */
  readonly cnc: CncFeed;
  /** When each scripted incident happens (simulated epoch ms): the ground truth for tests. */
  readonly incidents: IncidentTimes;
  /** The start instant's updates (what listeners added later did not see). */
  readonly initialUpdates: readonly PlantUpdate[];
  /** What an enterprise system has received (the same as `GET /<system>/received`). */
  received(system: EnterpriseSystem): readonly ReceivedRecord[];
  /** Listens to every step's updates; returns the removal. */
  onUpdates(listener: UpdateListener): () => void;
  status(): Record<EndpointName, EndpointStatus>;
  /** The error that stopped the stepper, if one did. */
  readonly failure: unknown;
  /** Kills one endpoint as a crash would (OPC UA/Modbus/HTTP servers close, Sparkplug nodes drop without DISCONNECT). */
  stopEndpoint(name: EndpointName): Promise<void>;
  /** Brings a killed endpoint back, on the same port, serving the model's current values (the MTConnect agent as a new instance). */
  startEndpoint(name: EndpointName): Promise<void>;
  /** Stops the clock and every endpoint (Sparkplug nodes send NDEATH); no socket or timer stays behind. */
  stop(): Promise<void>;
}

interface Controller {
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  status(): EndpointStatus;
}

class Simulator implements SimulatorHandle {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly plant: Plant;
  readonly cnc: CncFeed;
  readonly incidents: IncidentTimes;
  readonly initialUpdates: readonly PlantUpdate[];
  readonly #options: SimulatorOptions;
  readonly #opcua: OpcuaMachineServer;
  readonly #sparkplug: SparkplugLines;
  readonly #modbus: ModbusUtilityUnit;
  readonly #enterprise: EnterpriseServer;
  readonly #rtls: RtlsPublisher;
  readonly #vision: VisionPoster | undefined;
  readonly #mtconnect: MtconnectAgent;
  readonly #controllers: Record<EndpointName, Controller>;
  readonly #chains = new Map<EndpointName, Promise<void>>();
  readonly #listeners = new Set<UpdateListener>();
  #failure: unknown;

  constructor(config: SimConfig, options: SimulatorOptions) {
    this.config = config;
    this.#options = options;
    this.plant = new Plant(config);
    this.incidents = this.plant.incidents;
    this.clock = new SimClock({
      start: this.plant.start,
      stepMs: config.stepMs,
      speed: config.speed,
      onError: (error) => {
        this.#failure = error;
        options.log?.(`simulator stopped: ${describeError(error)}`);
      },
    });
    this.cnc = new CncFeed(config);
    this.#opcua = new OpcuaMachineServer(config, () => this.plant.snapshot());
    this.#sparkplug = new SparkplugLines(config, {
      brokerUrl: options.brokerUrl,
      current: (machine, tag) => this.plant.lastUpdate(machine, tag),
      now: () => this.clock.now(),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(config.endpoints.sparkplugPrimaryHost === undefined ? {} : { primaryHostId: config.endpoints.sparkplugPrimaryHost }),
    });
    this.#modbus = new ModbusUtilityUnit(config);
    this.#enterprise = new EnterpriseServer({
      host: config.endpoints.host,
      port: config.endpoints.enterprise.port,
      orders: () => this.plant.releasedOrders(),
      now: () => this.clock.now(),
      onMove: (move) => this.plant.deliverMaterial({ to: move.to, material: move.material }),
    });
    this.#rtls = new RtlsPublisher({ brokerUrl: options.brokerUrl, topicPrefix: config.endpoints.rtlsTopicPrefix, ...(options.log === undefined ? {} : { log: options.log }) });
    this.#vision =
      options.webhookUrl === undefined
        ? undefined
        : new VisionPoster({ url: options.webhookUrl, ...(options.webhookSecret === undefined ? {} : { secret: options.webhookSecret }), ...(options.log === undefined ? {} : { log: options.log }) });
    const mtconnect = config.endpoints.mtconnect ?? MTCONNECT_DEFAULTS;
    this.#mtconnect = new MtconnectAgent({ host: config.endpoints.host, port: mtconnect.port, bufferSize: mtconnect.bufferSize, feed: this.cnc, now: () => this.clock.now() });
    this.#controllers = this.#makeControllers();
    this.initialUpdates = this.plant.initial();
    this.#dispatch(this.initialUpdates, this.plant.start);
    this.clock.onStep((step) => {
      const updates = this.plant.step(step.now);
      this.#dispatch(updates, step.now);
      for (const listener of this.#listeners) listener(updates, step);
    });
  }

  get failure(): unknown {
    return this.#failure;
  }

  get endpoints(): SimulatorEndpoints {
    const base = this.#enterprise.baseUrl;
    return {
      opcua: { endpointUrl: this.#opcua.endpointUrl, nodeIdPattern: 'ns=1;s=<machine>.<Tag>' },
      sparkplug: { brokerUrl: this.#options.brokerUrl, nodes: this.#sparkplug.nodes.map((node) => ({ group: node.group, edge: node.edge, devices: node.devices })) },
      modbus: { host: this.#modbus.host, port: this.#modbus.port, unitId: this.config.endpoints.modbus.unitId, registers: utilityRegisterMap(this.config) },
      enterprise: { baseUrl: base, erp: `${base}/erp`, cmms: `${base}/cmms`, qms: `${base}/qms`, wms: `${base}/wms` },
      rtls: { brokerUrl: this.#options.brokerUrl, topicFilter: `${this.config.endpoints.rtlsTopicPrefix}/+/position` },
      vision: { webhookUrl: this.#options.webhookUrl },
      mtconnect: { url: this.#mtconnect.url },
    };
  }

  received(system: EnterpriseSystem): readonly ReceivedRecord[] {
    return this.#enterprise.received(system);
  }

  onUpdates(listener: UpdateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  status(): Record<EndpointName, EndpointStatus> {
    return Object.fromEntries(ENDPOINT_NAMES.map((name) => [name, this.#controllers[name].status()])) as Record<EndpointName, EndpointStatus>;
  }

  /**
   * Starts every endpoint; on a failure, stops the ones started and throws.
   * @throws PF_ERR_CONFIG_INVALID when an endpoint cannot listen (port taken): the message names the sim.yaml key
   */
  async startAll(): Promise<void> {
    // OPC UA first and alone: loading and initialising node-opcua holds the event loop for seconds, long enough for
    // an MQTT handshake started meanwhile to time out.
    const order: EndpointName[][] = [['opcua'], ENDPOINT_NAMES.filter((name) => name !== 'opcua')];
    for (const group of order) {
      const results = await Promise.allSettled(group.map((name) => this.startEndpoint(name)));
      const failed = results.findIndex((result) => result.status === 'rejected');
      if (failed >= 0) await this.#failStart(group[failed]!, (results[failed] as PromiseRejectedResult).reason);
    }
  }

  async #failStart(name: EndpointName, cause: unknown): Promise<never> {
    await this.stop();
    throw new PlantfabricError('PF_ERR_CONFIG_INVALID', `the demo plant's ${name} endpoint did not start: ${describeError(cause)} (see endpoints in sim.yaml)`, {
      cause,
      details: { endpoint: name },
    });
  }

  stopEndpoint(name: EndpointName): Promise<void> {
    return this.#serial(name, () => this.#controllers[name].kill());
  }

  startEndpoint(name: EndpointName): Promise<void> {
    return this.#serial(name, () => this.#controllers[name].start());
  }

  async stop(): Promise<void> {
    this.clock.stopTimers();
    await Promise.all(ENDPOINT_NAMES.map((name) => this.#serial(name, () => this.#controllers[name].stop())));
  }

  /** Runs start/stop of one endpoint one after another, so a stop during a slow start cannot leak a server. */
  #serial(name: EndpointName, action: () => Promise<void>): Promise<void> {
    const next = (this.#chains.get(name) ?? Promise.resolve()).then(action);
    // The chain continues after a failure; the caller still sees it through `next`.
    this.#chains.set(name, next.catch(() => undefined));
    return next;
  }

  #dispatch(updates: readonly PlantUpdate[], ts: number): void {
    const tags: TagUpdate[] = [];
    for (const update of updates) {
      switch (update.kind) {
        case 'tag':
          tags.push(update);
          if (this.#opcua.serves(update.machine)) this.#opcua.apply(update);
          else this.#modbus.apply(update);
          break;
        case 'position':
          this.#rtls.publish(update);
          break;
        case 'vision':
          this.#vision?.enqueue(update);
          break;
        case 'order':
          break; // ERP serves released orders from the plant's list
      }
    }
    this.#sparkplug.publishStep(tags, ts);
    this.cnc.publishStep(tags);
  }

  #makeControllers(): Record<EndpointName, Controller> {
    const simple = (server: { start(): Promise<void>; stop(): Promise<void>; running: boolean }): Controller => ({
      start: () => server.start(),
      kill: () => server.stop(),
      stop: () => server.stop(),
      status: () => ({ running: server.running }),
    });
    const vision = this.#vision;
    return {
      opcua: simple(this.#opcua),
      modbus: simple(this.#modbus),
      enterprise: simple(this.#enterprise),
      mtconnect: simple(this.#mtconnect),
      sparkplug: {
        start: () => this.#sparkplug.start(),
        kill: () => this.#sparkplug.kill(),
        stop: () => this.#sparkplug.stop(),
        status: () => {
          const lastError = this.#sparkplug.nodes.map((node) => node.lastError).find((error) => error !== undefined);
          return { running: this.#sparkplug.running, online: this.#sparkplug.online, ...(lastError === undefined ? {} : { lastError }) };
        },
      },
      rtls: {
        ...simple(this.#rtls),
        status: () => ({ running: this.#rtls.running, online: this.#rtls.online, ...(this.#rtls.lastError === undefined ? {} : { lastError: this.#rtls.lastError }) }),
      },
      vision: {
        start: async () => vision?.start(),
        kill: async () => vision?.stop(),
        stop: async () => vision?.stop(),
        status: () => ({ running: vision?.running ?? false, ...(vision?.lastError === undefined ? {} : { lastError: vision.lastError }) }),
      },
    };
  }
}

/**
 * Starts the demo plant: the model, every endpoint, and (unless `run: false`) the real-time stepper.
 * @throws PF_ERR_CONFIG_INVALID when an endpoint cannot start (e.g. its port is taken); nothing is left running
 */
export async function startSimulator(config: SimConfig, options: SimulatorOptions): Promise<SimulatorHandle> {
  const simulator = new Simulator(config, options);
  await simulator.startAll();
  if (options.run ?? true) simulator.clock.startTimers();
  return simulator;
}
