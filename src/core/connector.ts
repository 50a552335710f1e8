/**
 * The connector contract (ARCHITECTURE.md §2, STYLE.md): one connector instance is one endpoint (an OPC UA session, a
 * broker, an agent, a Modbus unit) with many bindings. Every kind implements the same small interface and receives
 * what it needs as one typed context, so the runtime treats them all alike.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { Backoff, BackoffOptions } from './backoff.js';
import type { EventInput, Sample, StoredEvent } from './event.js';
import type { ConnectorHealth } from './health.js';
import type { Unsubscribe } from './store.js';

/** Where a connector hands its output: the ingest pipeline, behind store-and-forward. */
export interface ConnectorSink {
  /** Events for the log; resolves once accepted (durable, or safely buffered on disk when the store is away). */
  events(events: readonly EventInput[]): Promise<void>;
  /** Samples for the historian, with the same guarantee. */
  samples(samples: readonly Sample[]): Promise<void>;
  /** Input that cannot be understood: kept with its raw bytes and the reason, never counted as data. */
  deadLetter(raw: Uint8Array, reason: { code: string; message: string; address?: string; contentType?: string; details?: unknown }): Promise<void>;
}

export interface ConnectorLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What the plant produces, for outbound connectors (the unified namespace): events once durable in the log and
 * samples once written to the historian, each in order. Handlers must be quick; they queue work, not do it.
 */
export interface PlantFeed {
  onEvents(handler: (events: readonly StoredEvent[]) => void): Unsubscribe;
  onSamples(handler: (samples: readonly Sample[]) => void): Unsubscribe;
}

export interface ConnectorContext {
  /** The instance id from plant.yaml, e.g. `line-1-opcua`. */
  id: string;
  /** The source system name events carry (`plc`, `mes`, ...), used for crosswalk lookups. */
  system: string;
  sink: ConnectorSink;
  /** The one shared bounded backoff, configured per instance. */
  backoff(options?: BackoffOptions): Backoff;
  log: ConnectorLog;
  now(): number;
  /** Folder the connector may keep files in (certificates, cursors), created on demand. */
  stateDir: string;
  /** The plant's own output, for connectors that publish it outward. */
  feed: PlantFeed;
}

export interface WriteRequest {
  /** The binding address or protocol address to write. */
  address: string;
  value: unknown;
}

export interface WriteResult {
  ok: boolean;
  /** The protocol's own status when the write failed. */
  status?: string;
  message?: string;
}

export interface Connector {
  /** Begins connecting; resolves quickly and keeps retrying in the background (a dead endpoint never blocks start). */
  start(): Promise<void>;
  /** Closes every socket and timer; resolves when nothing of the connector is left running. */
  stop(): Promise<void>;
  health(): ConnectorHealth;
  /** Write-back, reachable only from approved actions. */
  write?(request: WriteRequest): Promise<WriteResult>;
}

export interface ConnectorDefinition<S extends TSchema = TSchema> {
  /** The `kind:` value in plant.yaml, e.g. `opcua`. */
  kind: string;
  /** The source system events carry when the entry names none (`plc` for OPC UA, `mes` for webhooks, ...). */
  defaultSystem?: string;
  configSchema: S;
  create(config: Static<S>, context: ConnectorContext): Connector;
}

/** Declares a connector kind; a typed identity function so the config type flows into `create`. */
export function defineConnector<S extends TSchema>(definition: ConnectorDefinition<S>): ConnectorDefinition<S> {
  return definition;
}
