/**
 * Runs the connectors a plant configures: validates each entry against its kind's schema, gives each its context
 * (sink with store-and-forward, the shared backoff, a state folder), and starts them so that one that fails never
 * stops the others or the plant. Health is shown at GET /api/v1/connectors and in /metrics.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { Backoff } from '../core/backoff.js';
import type { Connector, ConnectorContext, ConnectorDefinition, PlantFeed } from '../core/connector.js';
import { describeError } from '../core/errors.js';
import { HEALTH_STATES, type ConnectorHealth } from '../core/health.js';
import type { Ingestor } from '../core/ingest.js';
import type { MetricsRegistry } from '../core/metrics.js';
import type { ConnectorEntry } from '../core/plant-config.js';
import type { DeadLetterStore } from '../core/store.js';
import { SqliteForwardQueue } from '../store/sqlite/index.js';
import { ForwardingSink } from './connector-sink.js';

export interface ConnectorIssue {
  path: string;
  message: string;
  allowed?: string[];
}

export interface ConnectorStatus {
  id: string;
  kind: string;
  system: string;
  enabled: boolean;
  health: ConnectorHealth;
  /** Batches waiting in store-and-forward. */
  buffered: number;
}

interface Running {
  entry: ConnectorEntry;
  system: string;
  connector?: Connector;
  sink?: ForwardingSink;
  queue?: SqliteForwardQueue;
  startError?: string;
}

const COMMON_KEYS = new Set(['id', 'kind', 'system', 'enabled']);
const DEFAULT_QUEUE_BATCHES = 100_000;

function ownConfig(entry: ConnectorEntry): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !COMMON_KEYS.has(key)));
}

/** Checks each connector entry against its kind; returns every problem with its path in plant.yaml. */
export function connectorIssues(entries: readonly ConnectorEntry[] | undefined, kinds: readonly ConnectorDefinition[]): ConnectorIssue[] {
  const issues: ConnectorIssue[] = [];
  const byKind = new Map(kinds.map((definition) => [definition.kind, definition]));
  const seen = new Set<string>();
  (entries ?? []).forEach((entry, index) => {
    const path = `/connectors/${index}`;
    if (seen.has(entry.id)) issues.push({ path: `${path}/id`, message: `duplicate connector id '${entry.id}'` });
    seen.add(entry.id);
    const definition = byKind.get(entry.kind);
    if (definition === undefined) {
      issues.push({ path: `${path}/kind`, message: `unknown connector kind '${entry.kind}'`, allowed: [...byKind.keys()] });
      return;
    }
    const check = TypeCompiler.Compile(definition.configSchema);
    const reported = new Set<string>();
    // Defaults first: a key with a default may be left out of plant.yaml.
    for (const error of check.Errors(Value.Default(definition.configSchema, ownConfig(entry)))) {
      if (reported.has(error.path)) continue;
      reported.add(error.path);
      const literals = (error.schema as { anyOf?: Array<{ const?: unknown }> }).anyOf?.map((option) => option.const);
      const allowed = literals !== undefined && literals.every((value) => value !== undefined) ? literals.map(String) : undefined;
      issues.push({ path: `${path}${error.path}`, message: error.message, ...(allowed === undefined ? {} : { allowed }) });
    }
  });
  return issues;
}

export interface ConnectorManagerOptions {
  entries: readonly ConnectorEntry[];
  kinds: readonly ConnectorDefinition[];
  ingestor: Ingestor;
  deadLetters: DeadLetterStore;
  dataDir: string;
  /** Events and samples as the plant stores them, for outbound connectors. */
  feed: PlantFeed;
  metrics?: MetricsRegistry;
  now?: () => number;
}

export class ConnectorManager {
  readonly #options: ConnectorManagerOptions;
  readonly #running: Running[] = [];

  constructor(options: ConnectorManagerOptions) {
    this.#options = options;
    options.metrics?.collectGauge('pf_connector_up', 'Connector health: 1 for the state it is in.', () =>
      this.status().flatMap((status) =>
        HEALTH_STATES.map((state) => ({ labels: { connector: status.id, kind: status.kind, state }, value: status.health.state === state ? 1 : 0 })),
      ),
    );
  }

  /** Starts every enabled connector; failures are recorded in that connector's health, never thrown. */
  async start(): Promise<void> {
    const byKind = new Map(this.#options.kinds.map((definition) => [definition.kind, definition]));
    for (const entry of this.#options.entries) {
      const definition = byKind.get(entry.kind);
      const running: Running = { entry, system: entry.system ?? definition?.defaultSystem ?? entry.kind };
      this.#running.push(running);
      if (entry.enabled === false || definition === undefined) continue;
      try {
        await this.#startOne(running, definition);
      } catch (error) {
        running.startError = describeError(error);
        console.error(`connector ${entry.id} (${entry.kind}) failed to start: ${running.startError}`);
      }
    }
  }

  async #startOne(running: Running, definition: ConnectorDefinition): Promise<void> {
    const { entry } = running;
    const stateDir = join(this.#options.dataDir, 'connectors', entry.id);
    mkdirSync(stateDir, { recursive: true });
    running.queue = new SqliteForwardQueue({ file: join(stateDir, 'forward-queue.db'), maxBatches: DEFAULT_QUEUE_BATCHES });
    running.sink = new ForwardingSink({
      connector: entry.id,
      system: running.system,
      ingestor: this.#options.ingestor,
      deadLetters: this.#options.deadLetters,
      queue: running.queue,
      backoff: new Backoff({ initialMs: 250, maxMs: 10_000 }),
      ...(this.#options.metrics === undefined ? {} : { metrics: this.#options.metrics }),
    });
    await running.sink.start();
    const log = (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
      console[level === 'info' ? 'log' : level](`connector ${entry.id}: ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
    const context: ConnectorContext = {
      id: entry.id,
      system: running.system,
      sink: running.sink,
      backoff: (options) => new Backoff(options),
      log: { info: log('info'), warn: log('warn'), error: log('error') },
      now: this.#options.now ?? Date.now,
      stateDir,
      feed: this.#options.feed,
    };
    running.connector = definition.create(Value.Default(definition.configSchema, ownConfig(entry)), context);
    await running.connector.start();
  }

  /** Stops every connector and closes its queue; what is still buffered stays on disk for the next start. */
  async stop(): Promise<void> {
    for (const running of this.#running) {
      try {
        await running.connector?.stop();
      } catch (error) {
        console.error(`connector ${running.entry.id} failed to stop cleanly: ${describeError(error)}`);
      }
      await running.sink?.close();
      await running.queue?.close();
    }
  }

  status(): ConnectorStatus[] {
    return this.#running.map((running) => {
      const health: ConnectorHealth = running.connector?.health() ?? {
        state: 'stopped',
        since: new Date(0).toISOString(),
        ...(running.startError === undefined ? {} : { lastError: { message: running.startError, at: new Date().toISOString() } }),
      };
      return {
        id: running.entry.id,
        kind: running.entry.kind,
        system: running.system,
        enabled: running.entry.enabled !== false,
        health,
        buffered: running.sink?.buffered ?? 0,
      };
    });
  }

  /** The running connector with this id, for write-backs from approved actions. */
  connector(id: string): Connector | undefined {
    return this.#running.find((running) => running.entry.id === id)?.connector;
  }
}
