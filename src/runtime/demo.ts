/**
 * The demo plant, end to end in one process (what `plantfabric demo` and `npm start` run): the embedded MQTT broker,
 * the simulated factory speaking its protocols, and the whole layer on the simulator's clock, its connectors pointed
 * at the simulated endpoints through the `${PF_DEMO_*}` references of examples/demo/plant.yaml.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { loadSimConfig, startSimulator, validateSimConfig, type SimConfig, type SimulatorHandle } from '../sim/index.js';
import { startRuntime, type Runtime } from './create-runtime.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { loadPlantConfigFile } from './plant-config-file.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_PLANT = join(ROOT, 'examples/demo/plant.yaml');
export const DEMO_SIM = join(ROOT, 'examples/demo/sim.yaml');
const CLOCK_FILE = 'demo-clock.json';

/** Any part of a sim config, nested objects in part too (arrays are replaced whole). */
export type SimOverrides = { [K in keyof SimConfig]?: SimConfig[K] extends readonly unknown[] ? SimConfig[K] : SimConfig[K] extends object ? Partial<SimConfig[K]> : SimConfig[K] };

export interface DemoOptions {
  configFile?: string;
  simFile?: string;
  seed?: string;
  speed?: number;
  /** Overrides store.dataDir. */
  dataDir?: string;
  /** Start from an empty data folder (and the simulator's own start instant). */
  reset?: boolean;
  host?: string;
  /** API port; 0 picks a free one. */
  port?: number;
  /** fixed: the ports of sim.yaml and plant.yaml; auto: free ports everywhere (tests, two demos side by side). */
  ports?: 'fixed' | 'auto';
  /** Wait this long (real ms) for the connectors before the plant starts moving; default 60 s. */
  connectTimeoutMs?: number;
  /** Start the simulated clock (default true); false leaves it to the caller (determinism tests step it by hand). */
  run?: boolean;
  /**
   * Values merged over the loaded sim.yaml, one level deep (e.g. `{ bearing: { startDay: 4.4 } }` to start the bearing
   * close to failure), then validated like the file (startDemo rejects with PF_ERR_CONFIG_INVALID when the result is
   * not valid). For tests that need an incident sooner than the demo's story brings it.
   */
  simOverrides?: SimOverrides;
  log?: (line: string) => void;
}

export interface DemoHandle {
  runtime: Runtime;
  sim: SimulatorHandle;
  broker: EmbeddedBroker;
  /** Stops the plant, the layer and the broker; the plant time reached is kept for the next start. */
  stop(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function portOf(url: string): string {
  return new URL(url.replace(/^opc\.tcp:/, 'http:')).port;
}

interface Resume {
  plantTime?: string;
  nextOrderNumber?: number;
}

/**
 * Where a previous demo left this data folder: its plant time and ERP's next order number, so the plant goes on
 * instead of replaying its past (the same events again would be recognised as duplicates and show nothing new).
 */
function resumeOf(dataDir: string): Resume {
  const file = join(dataDir, CLOCK_FILE);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Resume;
}

/** The config with each override applied: objects merged one level deep, everything else replaced. */
function mergeOverrides(config: SimConfig, overrides: SimOverrides): SimConfig {
  const merged: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    const mergeable = (entry: unknown): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && !Array.isArray(entry);
    merged[key] = mergeable(current) && mergeable(value) ? { ...current, ...value } : value;
  }
  return merged as SimConfig;
}

async function simConfigFor(options: DemoOptions, dataDir: string): Promise<SimConfig> {
  const file = await loadSimConfig(options.simFile ?? DEMO_SIM);
  const loaded = options.simOverrides === undefined ? file : validateSimConfig(mergeOverrides(file, options.simOverrides), 'sim config with simOverrides');
  const resumed: Resume = options.reset === true ? {} : resumeOf(dataDir);
  const endpoints = options.ports === 'auto'
    ? Object.fromEntries(Object.entries(loaded.endpoints).map(([key, value]) => [key, typeof value === 'object' && value !== null && 'port' in value ? { ...value, port: 0 } : value]))
    : loaded.endpoints;
  return {
    ...loaded,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.speed === undefined ? {} : { speed: options.speed }),
    ...(resumed.plantTime === undefined ? {} : { start: resumed.plantTime }),
    ...(resumed.nextOrderNumber === undefined ? {} : { erp: { ...loaded.erp, firstOrderNumber: resumed.nextOrderNumber } }),
    endpoints: endpoints as SimConfig['endpoints'],
  };
}

/** Starts the demo plant and the layer; resolves once the layer serves and the plant is moving (unless run: false). */
export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const log = options.log ?? (() => undefined);
  const configFile = options.configFile ?? DEMO_PLANT;
  const host = options.host ?? '127.0.0.1';
  const { config } = await loadPlantConfigFile(configFile);
  const dataDir = resolve(options.dataDir ?? config.store?.dataDir ?? './data/demo');
  if (options.reset === true) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const simConfig = await simConfigFor(options, dataDir);
  const auto = options.ports === 'auto';

  log(`starting the demo plant (seed ${simConfig.seed}, ${simConfig.speed}× real time, plant time from ${simConfig.start})`);
  const brokerPort = auto ? 0 : Number(process.env['PF_DEMO_BROKER_PORT'] ?? 18830);
  let broker: EmbeddedBroker;
  try {
    broker = await startEmbeddedBroker({ host, port: brokerPort });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new InputError('PF_ERR_CONFIG_INVALID', `the demo's MQTT broker port ${brokerPort} is already in use (another demo?); run with --auto-ports to use free ports`, { cause: error });
  }
  const webhookPort = auto ? await freePort(host) : Number(process.env['PF_DEMO_WEBHOOK_PORT'] ?? 18091);
  // The camera signs what it posts; the layer's webhook connector reads the secret from this variable.
  process.env['PF_DEMO_VISION_SECRET'] ??= randomBytes(16).toString('hex');
  let sim: SimulatorHandle | undefined;
  let runtime: Runtime | undefined;
  try {
    sim = await startSimulator(simConfig, {
      brokerUrl: broker.url,
      webhookUrl: `http://${host}:${webhookPort}/hooks/vision`,
      webhookSecret: process.env['PF_DEMO_VISION_SECRET'],
      run: false,
      log,
    });
    const endpoints = sim.endpoints as SimulatorHandle['endpoints'] & { mtconnect?: { url: string } };
    const env: Record<string, string> = {
      PF_DEMO_BROKER_PORT: String(broker.port),
      PF_DEMO_WEBHOOK_PORT: String(webhookPort),
      PF_DEMO_OPCUA_PORT: portOf(endpoints.opcua.endpointUrl),
      PF_DEMO_MODBUS_PORT: String(endpoints.modbus.port),
      PF_DEMO_ENTERPRISE_PORT: portOf(endpoints.enterprise.baseUrl),
      ...(endpoints.mtconnect === undefined ? {} : { PF_DEMO_MTCONNECT_PORT: portOf(endpoints.mtconnect.url) }),
    };
    runtime = await startRuntime({
      configFile,
      dataDir,
      clock: sim.clock,
      env,
      host,
      ...(options.port === undefined ? (auto ? { port: 0 } : {}) : { port: options.port }),
    });
    const started = runtime;
    // The plant stands still until every connector is in (or the wait is over), so no first change is missed.
    const deadline = Date.now() + (options.connectTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const pending = started.connectors.status().filter((status) => status.enabled && status.health.state !== 'connected');
      if (pending.length === 0) break;
      await new Promise((resolvePause) => setTimeout(resolvePause, 100));
    }
    const late = started.connectors.status().filter((status) => status.enabled && status.health.state !== 'connected');
    if (late.length > 0) log(`starting without ${late.map((status) => `${status.id} (${status.health.state})`).join(', ')}`);
    // Connected is not yet read: the first values (OPC UA initial notifications, Sparkplug births) are still arriving.
    // Let the log fall quiet before the plant moves, so a first change never races its machine's initial state.
    let head = await started.stores.events.head();
    for (let waited = 0; waited < 5_000; waited += 250) {
      await new Promise((resolvePause) => setTimeout(resolvePause, 250));
      const now = await started.stores.events.head();
      if (now === head && waited >= 500) break;
      head = now;
    }
    if (options.run !== false) sim.clock.startTimers();
  } catch (error) {
    await runtime?.close();
    await sim?.stop();
    await broker.close();
    throw error;
  }
  const running = { runtime, sim, broker };
  let stopped = false;
  return {
    ...running,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.sim.clock.stopTimers();
      const [lastOrder] = await running.runtime.stores.events.query({ types: ['work-order.released'], newestFirst: true, limit: 1 });
      const lastNumber = Number(/(\d+)$/.exec(lastOrder?.subject.workOrder ?? '')?.[1]);
      const resume: Resume = {
        plantTime: new Date(running.sim.clock.now()).toISOString(),
        ...(Number.isInteger(lastNumber) ? { nextOrderNumber: lastNumber + 1 } : {}),
      };
      writeFileSync(join(dataDir, CLOCK_FILE), JSON.stringify(resume));
      await running.sim.stop();
      await running.runtime.close();
      await running.broker.close();
    },
  };
}
