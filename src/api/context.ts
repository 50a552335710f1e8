/**
 * Everything the HTTP API needs, passed in as one typed object built by the runtime (no DI container, no globals).
 */
import type { OeeReader } from '../core/oee.js';
import type { SpcReader } from '../core/spc.js';
import type { PlantStatusReader } from '../core/plant-status.js';
import type { CaseApi } from '../core/cases.js';
import type { ContextResolver } from '../core/context.js';
import type { Crosswalk, CrosswalkMapping } from '../core/crosswalk.js';
import type { EventBus } from '../core/event-bus.js';
import type { ConnectorHealth } from '../core/health.js';
import type { Ingestor } from '../core/ingest.js';
import type { LocationReader } from '../core/locations.js';
import type { MetricsRegistry } from '../core/metrics.js';
import type { NotificationInbox } from '../core/notification-inbox.js';
import type { AuditEntry, AuditVerification } from '../core/audit.js';
import type { PlantModel } from '../core/plant-model.js';
import type { DeadLetterReplayer as CoreDeadLetterReplayer } from '../core/pipeline/dead-letter-replay.js';
import type { Stores } from '../core/store.js';
import type { AuthService } from './auth/auth-service.js';

/** Replays dead letters through the pipeline (implemented in core/pipeline/dead-letter-replay.ts). */
export type DeadLetterReplayer = Pick<CoreDeadLetterReplayer, 'replay' | 'replayOpen'>;
export type { ReplayOutcome as ReplayResult } from '../core/pipeline/dead-letter-replay.js';

export interface EngineStatus {
  id: string;
  checkpoint: number;
  /** Events in the log the engine has not processed yet. */
  lag: number;
  failures: number;
}

export interface CrosswalkService {
  readonly crosswalk: Crosswalk;
  /** Adds a mapping durably (kept in the record store, audited as `actor`) and makes it effective at once. */
  add(mapping: CrosswalkMapping, actor: string): Promise<void>;
}

/** The ledger tools of src/audit, which the API may not import itself (the dependency rule). */
export interface AuditTools {
  /** Walks the whole hash chain and reports the first broken link. */
  verify(): Promise<AuditVerification>;
  csvHeader(): string;
  toCsv(entry: AuditEntry): string;
  toJsonLine(entry: AuditEntry): string;
}

export interface ApiContext {
  plant: PlantModel;
  stores: Stores;
  ingestor: Ingestor;
  bus: EventBus;
  metrics: MetricsRegistry;
  deadLetters: DeadLetterReplayer;
  crosswalk: CrosswalkService;
  auth: AuthService;
  engines(): Promise<EngineStatus[]>;
  connectors(): ConnectorStatus[];
  /** Each machine's live status (state, order, alarms, last count). */
  status: PlantStatusReader;
  /** OEE of a machine, line or area over a time range (engines/oee). */
  oee: OeeReader;
  /** SPC chart of a characteristic on a machine over a time range: points, limits, violations, capability (engines/spc). */
  spc: SpcReader;
  /** What a signal on a piece of equipment touches at an instant, and how urgent it is (operations/context). */
  context: ContextResolver;
  /** Where-is of RTLS tags: last position, zone and since when (engines/location). */
  locations: LocationReader;
  /** Verifying and exporting the audit ledger (src/audit, handed in by the runtime). */
  audit: AuditTools;
  /** The caller's in-app notifications, live stream and preferences, and the dispatcher's health. */
  notifications: NotificationInbox;
  /** Cases: list, read, lifecycle actions, comments, attachments, metrics (operations/cases). */
  cases: CaseApi;
  /** Plant time, epoch ms (runs faster than real time in the demo). */
  now(): number;
}

export interface ConnectorStatus {
  id: string;
  kind: string;
  system: string;
  enabled: boolean;
  health: ConnectorHealth;
  buffered: number;
}
