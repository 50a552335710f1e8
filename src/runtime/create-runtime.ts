/**
 * The composition root: the one place that wires concrete parts together (STYLE.md). Everything else receives its
 * collaborators as typed objects, so tests build the same graph with the same code.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AuthService } from '../api/auth/auth-service.js';
import { buildApp } from '../api/app.js';
import type { ApiContext } from '../api/context.js';
import { SystemClock, type Clock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import type { ConnectorDefinition } from '../core/connector.js';
import { EngineHost, type EngineRegistration } from '../core/engine-host.js';
import { SampleEngineHost, type SampleEngineRegistration } from '../core/sample-engine-host.js';
import { InProcessEventBus, type EventBus } from '../core/event-bus.js';
import { MetricsRegistry } from '../core/metrics.js';
import { createIngestPipeline, DeadLetterReplayer, type IngestPipeline } from '../core/pipeline/index.js';
import type { PlantConfig } from '../core/plant-config.js';
import type { PlantModel } from '../core/plant-model.js';
import type { Stores } from '../core/store.js';
import { auditCsvHeader, auditEntryToCsv, auditEntryToJsonLine } from '../audit/export-ledger.js';
import { verifyLedger } from '../audit/verify-ledger.js';
import { CaseOperations, createCaseOperations } from '../operations/cases/index.js';
import { ContextService } from '../operations/context/context-service.js';
import { NotificationDispatcher } from '../operations/notifications/index.js';
import { OeeQueryService } from '../engines/oee/oee-query.js';
import { SpcQueryService } from '../engines/spc/spc-query.js';
import { resolveSpcConfig } from '../core/spc-config.js';
import { locationConfigOf } from '../engines/location/location-config.js';
import { LocationIndex } from '../engines/location/location-index.js';
import { PlantStatusService } from '../operations/plant-status/plant-status-service.js';
import { openSqliteStores } from '../store/sqlite/index.js';
import { ConnectorManager } from './connector-manager.js';
import { defaultEngines, defaultSampleEngines, oeeConfigOf } from './engines.js';
import { CONNECTOR_KINDS } from './connector-kinds.js';
import { CrosswalkService } from './crosswalk-service.js';
import { loadPlantConfigFile } from './plant-config-file.js';

export const DEFAULT_DATA_DIR = './data';
export const DATABASE_FILE = 'plantfabric.db';
const HOUR_MS = 3_600_000;

export interface CoreOptions {
  /** Path of plant.yaml. */
  configFile: string;
  /** Overrides `store.dataDir` from the config. */
  dataDir?: string;
  engines?: readonly EngineRegistration[];
  /** Engines over historian samples; default every sample engine this build has, configured from plant.yaml. */
  sampleEngines?: readonly SampleEngineRegistration[];
  /** The connector kinds available; default every kind this build has. */
  connectorKinds?: readonly ConnectorDefinition[];
  /**
   * Plant time for everything that stamps or waits: receivedAt, SLA deadlines, verification windows. Default the
   * system clock; the demo plant passes a ScaledClock running N times faster.
   */
  clock?: Clock;
  /** Clock for receivedAt only (tests); ignored when `clock` is given. */
  now?: () => number;
  /** Values for `${NAME}` references in plant.yaml, over the process environment (the demo moves its ports so). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Everything but the HTTP server: enough for CLI commands that work on the data directly. */
export interface Core {
  config: PlantConfig;
  /** Plant time. */
  clock: Clock;
  plant: PlantModel;
  dataDir: string;
  stores: Stores;
  bus: EventBus;
  metrics: MetricsRegistry;
  pipeline: IngestPipeline;
  replayer: DeadLetterReplayer;
  crosswalk: CrosswalkService;
  auth: AuthService;
  engines: EngineHost;
  /** Engines over historian samples (anomaly detection, predictive maintenance); started by startRuntime. */
  sampleEngines: SampleEngineHost;
  /** Built here, started only by startRuntime: CLI commands that open the data never talk to devices. */
  connectors: ConnectorManager;
  /** Each machine's live status from the log; started by startRuntime. */
  status: PlantStatusService;
  /** OEE of any scope and range, computed from the log. */
  oee: OeeQueryService;
  /** SPC charts of any characteristic, machine and range, computed from the log. */
  spc: SpcQueryService;
  /** Where-is of RTLS tags, kept from the log; started by startRuntime. */
  locations: LocationIndex;
  /** The context engine: its work-order book is rebuilt from the log here, before any engine starts. */
  context: ContextService;
  /**
   * Delivers notification requests from the outbox (in-app, email, webhooks); hand it to whatever writes requests as
   * their NotificationOutlet. Started only by startRuntime (a CLI command must not send email); stopped by close().
   */
  notifications: NotificationDispatcher;
  /**
   * Routing rules, cases, SLA clocks, escalation and shift hand-over (operations/cases). Started only by startRuntime
   * (tests call `cases.start()`), so a CLI command never opens cases or fires timers; stopped by close().
   */
  cases: CaseOperations;
  /** Drains the pipeline, stops engines and closes the stores, in that order, so no accepted write is torn. */
  close(): Promise<void>;
}

/** Loads the config, opens the stores and builds the pipeline and engine host (engines not started yet). */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { config, model: plant, sha256: configHash } = await loadPlantConfigFile(options.configFile, options.env === undefined ? process.env : { ...process.env, ...options.env });
  const dataDir = resolve(options.dataDir ?? config.store?.dataDir ?? DEFAULT_DATA_DIR);
  const clock = clockOf(options);
  const now = (): number => clock.now();
  mkdirSync(dataDir, { recursive: true });
  const stores = openSqliteStores({ file: resolve(dataDir, DATABASE_FILE), synchronous: config.store?.synchronous ?? 'full', now });
  try {
    await auditConfigChange(stores, resolve(options.configFile), configHash);
    const metrics = new MetricsRegistry();
    const bus = new InProcessEventBus();
    const crosswalk = await CrosswalkService.load(config.crosswalk, stores, plant);
    const pipeline = createIngestPipeline({
      events: stores.events,
      historian: stores.historian,
      deadLetters: stores.deadLetters,
      bus,
      plant,
      crosswalk: crosswalk.crosswalk,
      policies: config.ingest?.unknownIds ?? {},
      metrics,
      batch: {
        ...(config.ingest?.batchSize === undefined ? {} : { maxBatch: config.ingest.batchSize }),
        ...(config.ingest?.batchDelayMs === undefined ? {} : { maxDelayMs: config.ingest.batchDelayMs }),
      },
      now,
    });
    await pipeline.restore();
    // Before engines and routing: a case opened for a fault must find the order that ran when the fault occurred.
    const context = new ContextService({ plant, events: stores.events, bus, crosswalk: crosswalk.crosswalk, clock });
    await context.start();
    const sampleEngines = new SampleEngineHost(
      { historian: stores.historian, appendDerived: (events) => pipeline.appendDerived(events), onSamples: (listener) => pipeline.onSamples(listener), now, metrics },
      options.sampleEngines ?? defaultSampleEngines(config, plant),
    );
    const oee = new OeeQueryService({ events: stores.events, plant, config: oeeConfigOf(config, plant), now });
    const spc = new SpcQueryService({ events: stores.events, settings: resolveSpcConfig(config.spc) });
    const engines = new EngineHost(
      { events: stores.events, checkpoints: stores.checkpoints, deadLetters: stores.deadLetters, appendDerived: (events) => pipeline.appendDerived(events), bus, metrics },
      options.engines ?? defaultEngines(config, plant),
    );
    const connectors = new ConnectorManager({
      entries: config.connectors ?? [],
      kinds: options.connectorKinds ?? CONNECTOR_KINDS,
      ingestor: pipeline,
      deadLetters: stores.deadLetters,
      dataDir,
      now,
      feed: { onEvents: (handler) => bus.subscribe(handler), onSamples: (handler) => pipeline.onSamples(handler) },
      metrics,
    });
    const status = new PlantStatusService({ events: stores.events, bus, plant });
    const locations = new LocationIndex({ events: stores.events, bus, records: stores.records, config: locationConfigOf(config.locations) });
    const auth = new AuthService({ users: config.users ?? [], records: stores.records, operations: stores.operations, sessionHours: config.server?.sessionHours ?? 12 });
    const notifications = new NotificationDispatcher({ config: config.notifications, operations: stores.operations, records: stores.records, users: auth, clock, metrics });
    const cases = createCaseOperations({ stores, bus, appendDerived: (events) => pipeline.appendDerived(events), plant, clock, context, outlet: notifications, metrics });
    let closed = false;
    return {
      config, clock, plant, dataDir, stores, bus, metrics, pipeline, crosswalk, auth, engines, sampleEngines, connectors, status, oee, spc, locations, context, notifications, cases,
      replayer: new DeadLetterReplayer(stores.deadLetters, pipeline),
      async close() {
        if (closed) return;
        closed = true;
        // Connectors first, so nothing new arrives; their last readings are flushed into the pipeline as they stop.
        await connectors.stop();
        status.stop();
        await locations.stop();
        await pipeline.drain();
        await sampleEngines.stop();
        await engines.stop();
        // Routing finishes its last batch (and appends its case events) while contexts can still be resolved.
        await cases.stop();
        // After the engines: routing may still ask for a context while it finishes its last batch.
        context.stop();
        await pipeline.drain();
        // Before the stores close: sends in flight are aborted and stay pending for the next start.
        await notifications.stop();
        await bus.close();
        await stores.close();
      },
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}

/** The clock of the options: an explicit Clock, else system time (with a test's `now` for stamping, if given). */
function clockOf(options: CoreOptions): Clock {
  if (options.clock !== undefined) return options.clock;
  const system = new SystemClock();
  const stamp = options.now;
  return stamp === undefined ? system : { now: stamp, at: (at, handler) => system.at(at, handler) };
}

/**
 * plant.yaml is edited outside Plantfabric, so its changes are noticed at start: the ledger records the file's new
 * SHA-256 whenever it differs from the one last seen.
 */
async function auditConfigChange(stores: Stores, file: string, hash: string): Promise<void> {
  const last = await stores.records.get<{ sha256: string }>('config', 'plant.yaml');
  if (last?.sha256 === hash) return;
  await stores.operations.commit({
    records: [{ kind: 'config', id: 'plant.yaml', value: { sha256: hash, file } }],
    audit: [{
      actor: 'system',
      action: last === undefined ? 'config.loaded' : 'config.changed',
      subject: { kind: 'config', id: 'plant.yaml' },
      reason: last === undefined ? 'first start with this data folder' : 'plant.yaml differs from the version last started',
      data: { file, sha256: hash, ...(last === undefined ? {} : { previousSha256: last.sha256 }) },
    }],
  });
}

export interface ServerOptions extends CoreOptions {
  host?: string;
  port?: number;
  logger?: boolean;
}

export interface Runtime extends Core {
  app: FastifyInstance;
  /** The base URL the API listens on. */
  url: string;
}

/** Builds the API context the HTTP layer is handed. */
export function apiContextOf(core: Core): ApiContext {
  return {
    plant: core.plant,
    stores: core.stores,
    ingestor: core.pipeline,
    bus: core.bus,
    metrics: core.metrics,
    deadLetters: core.replayer,
    crosswalk: core.crosswalk,
    auth: core.auth,
    engines: () => core.engines.status(),
    connectors: () => core.connectors.status(),
    status: core.status,
    oee: core.oee,
    spc: core.spc,
    locations: core.locations,
    context: core.context,
    notifications: core.notifications,
    cases: core.cases,
    audit: { verify: () => verifyLedger(core.stores.audit), csvHeader: auditCsvHeader, toCsv: auditEntryToCsv, toJsonLine: auditEntryToJsonLine },
    now: () => core.clock.now(),
  };
}

/** Starts the whole layer on the embedded default: stores, engines, and the HTTP API. */
export async function startRuntime(options: ServerOptions): Promise<Runtime> {
  const core = await createCore(options);
  let app: FastifyInstance | undefined;
  let retention: NodeJS.Timeout | undefined;
  try {
    await core.status.start();
    await core.locations.start();
    await core.notifications.start();
    await core.engines.start();
    await core.sampleEngines.start();
    await core.cases.start();
    await core.connectors.start();
    app = await buildApp(apiContextOf(core), { logger: options.logger ?? false });
    const host = options.host ?? core.config.server?.host ?? '127.0.0.1';
    const port = options.port ?? core.config.server?.port ?? 8080;
    try {
      await app.listen({ host, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new InputError('PF_ERR_CONFIG_INVALID', `port ${port} on ${host} is already in use (another Plantfabric?); choose another with --port or server.port in plant.yaml`, { cause: error });
    }
    const address = app.server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    const retentionDays = core.config.store?.historianRetentionDays;
    if (retentionDays !== undefined) {
      const prune = (): void => {
        core.stores.historian.deleteBefore(core.clock.now() - retentionDays * 24 * HOUR_MS).catch((error: unknown) => {
          console.error(`historian retention failed: ${String(error)}`);
        });
      };
      prune();
      retention = setInterval(prune, HOUR_MS);
      retention.unref();
    }
    const started = app;
    return {
      ...core,
      app: started,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
      async close() {
        clearInterval(retention);
        // Stop taking requests first (in-flight ones finish), then drain and close underneath them.
        await started.close();
        await core.close();
      },
    };
  } catch (error) {
    clearInterval(retention);
    await app?.close();
    await core.close();
    throw error;
  }
}
