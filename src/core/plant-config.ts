/**
 * The schema of `plant.yaml`: the one place a plant is described (ARCHITECTURE.md §1). Later capabilities add
 * their own sections (connectors, routing, actions) here, each optional so an older file stays valid.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AnomalyConfigSchema } from './anomaly-config.js';
import { LocationsConfigSchema } from './locations-config.js';
import { MaintenanceConfigSchema } from './maintenance-config.js';
import { NotificationsConfigSchema } from './notifications-config.js';
import { RoutingConfigSchema } from './routing-config.js';
import { SpcConfigSchema } from './spc-config.js';

const Id = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  maxLength: 64,
  description: 'kebab-case: lower-case letters, digits and hyphens',
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Attributes = Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])));

export const ROLES = ['operator', 'supervisor', 'quality', 'maintenance', 'planner', 'engineer', 'admin'] as const;
export const RoleSchema = Type.Union(ROLES.map((role) => Type.Literal(role)));
export type Role = Static<typeof RoleSchema>;

export const EXTERNAL_SYSTEMS = ['erp', 'mes', 'plm', 'cmms', 'wms', 'qms', 'plc', 'scada', 'historian', 'lims'] as const;
export const ExternalSystemSchema = Type.Union(EXTERNAL_SYSTEMS.map((system) => Type.Literal(system)));
export type ExternalSystem = Static<typeof ExternalSystemSchema>;

export const ENTITY_KINDS = ['equipment', 'material', 'workOrder', 'lot', 'person', 'location'] as const;
export const EntityKindSchema = Type.Union(ENTITY_KINDS.map((kind) => Type.Literal(kind)));
export type EntityKind = Static<typeof EntityKindSchema>;

const EquipmentSchema = Type.Object(
  { id: Id, name: Type.Optional(Name), class: Type.Optional(Id), attributes: Attributes },
  { additionalProperties: false },
);
const CellSchema = Type.Object(
  { id: Id, name: Type.Optional(Name), equipment: Type.Array(EquipmentSchema, { default: [] }) },
  { additionalProperties: false },
);
const LineSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    cells: Type.Optional(Type.Array(CellSchema)),
    equipment: Type.Optional(Type.Array(EquipmentSchema)),
  },
  { additionalProperties: false },
);
const AreaSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    lines: Type.Optional(Type.Array(LineSchema)),
    equipment: Type.Optional(Type.Array(EquipmentSchema)),
  },
  { additionalProperties: false },
);
const SiteSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    timezone: Type.Optional(Type.String({ description: 'IANA zone for shift times, e.g. Europe/Berlin. Default UTC.' })),
    areas: Type.Array(AreaSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const EquipmentClassSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    idealCycleTimeSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    attributes: Attributes,
  },
  { additionalProperties: false },
);

export const MaterialSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    unit: Type.String({ minLength: 1, maxLength: 16, description: 'Unit of measure, e.g. pcs, kg, m' }),
    class: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Iso = Type.String({ format: 'date-time' });

export const CrosswalkIdSchema = Type.Object(
  {
    system: ExternalSystemSchema,
    id: Type.String({ minLength: 1, maxLength: 200 }),
    validFrom: Type.Optional(Iso),
    validTo: Type.Optional(Iso),
    provenance: Type.Optional(Type.String({ maxLength: 200, description: 'Where this mapping came from.' })),
  },
  { additionalProperties: false },
);
export const CrosswalkEntrySchema = Type.Object(
  {
    kind: EntityKindSchema,
    canonical: Type.String({ minLength: 1, maxLength: 200, description: 'For equipment: the path id.' }),
    ids: Type.Array(CrosswalkIdSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type CrosswalkEntry = Static<typeof CrosswalkEntrySchema>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const Weekday = Type.Union(WEEKDAYS.map((day) => Type.Literal(day)));
export const ShiftSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Name),
    start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local time' }),
    end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM; earlier than start means it ends next day' }),
    days: Type.Optional(Type.Array(Weekday, { minItems: 1, description: 'Default: every day' })),
  },
  { additionalProperties: false },
);
export type Shift = Static<typeof ShiftSchema>;

export const RosterEntrySchema = Type.Object(
  {
    shift: Id,
    area: Id,
    role: RoleSchema,
    users: Type.Array(Id, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const RoleGrantSchema = Type.Object(
  {
    role: RoleSchema,
    areas: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Area ids the role applies to, or "*" for the whole plant.',
    }),
  },
  { additionalProperties: false },
);
export type RoleGrant = Static<typeof RoleGrantSchema>;

export const UserSchema = Type.Object(
  {
    id: Id,
    name: Name,
    email: Type.Optional(Type.String({ format: 'email' })),
    grants: Type.Array(RoleGrantSchema, { minItems: 1 }),
    passwordHash: Type.Optional(
      Type.String({ pattern: '^scrypt\\$', description: 'From `plantfabric users hash-password`; never a plain password.' }),
    ),
  },
  { additionalProperties: false },
);
export type UserConfig = Static<typeof UserSchema>;

export const UnknownIdPolicySchema = Type.Union([Type.Literal('reject'), Type.Literal('flag'), Type.Literal('pass')], {
  description: 'reject: dead-letter the event; flag: accept with quality uncertain; pass: accept as sent',
});
export type UnknownIdPolicy = Static<typeof UnknownIdPolicySchema>;

export const IngestConfigSchema = Type.Object(
  {
    unknownIds: Type.Optional(
      Type.Object(
        {
          equipment: Type.Optional(UnknownIdPolicySchema),
          material: Type.Optional(UnknownIdPolicySchema),
          workOrder: Type.Optional(UnknownIdPolicySchema),
          lot: Type.Optional(UnknownIdPolicySchema),
          person: Type.Optional(UnknownIdPolicySchema),
          location: Type.Optional(UnknownIdPolicySchema),
        },
        { additionalProperties: false },
      ),
    ),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Most events per commit. Default 10000 (PERF-NOTES: SQLite is about twice as fast at 10k rows per transaction as at 1k).' })),
    batchDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Longest wait for more submissions before committing. Default 0: commit on the next event-loop turn.' })),
  },
  { additionalProperties: false },
);

export const OeeConfigSchema = Type.Object(
  {
    microStopSeconds: Type.Optional(Type.Number({ minimum: 0, description: 'Unplanned stops shorter than this between runs are speed losses (micro-stops), not downtime. Default 120; 0 disables.' })),
    plannedReasons: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Stop reasons that are planned downtime (breaks, meetings, planned maintenance): not a loss.' })),
    setupReasons: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Stop reasons that are setup or changeover.' })),
    graceMinutes: Type.Optional(Type.Number({ minimum: 0, description: 'How long after a shift ends late data is awaited before its OEE is final. Default 5.' })),
    rollingMinutes: Type.Optional(Type.Number({ minimum: 0, description: 'Plant minutes between provisional updates of the shift in progress. Default 60; 0 for none.' })),
  },
  { additionalProperties: false },
);

export const StoreConfigSchema = Type.Object(
  {
    backend: Type.Optional(Type.Literal('sqlite', { description: 'The only backend so far; PostgreSQL comes later.' })),
    dataDir: Type.Optional(Type.String({ description: 'Folder for the SQLite file, relative to the working directory. Default ./data' })),
    synchronous: Type.Optional(
      Type.Union([Type.Literal('full'), Type.Literal('normal')], {
        description: 'full: survives power loss; normal: survives a process crash only. Default full.',
      }),
    ),
    historianRetentionDays: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);

export const ServerConfigSchema = Type.Object(
  {
    host: Type.Optional(Type.String({ description: 'Default 127.0.0.1' })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Default 8080; 0 picks a free port' })),
    sessionHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Browser session lifetime. Default 12.' })),
  },
  { additionalProperties: false },
);

/**
 * One connector instance: one endpoint (a broker, an OPC UA server, an agent, a Modbus unit) with its bindings.
 * Only the common keys are checked here; each kind's own keys are checked against that kind's schema by the runtime,
 * which knows the installed kinds.
 */
export const ConnectorEntrySchema = Type.Object(
  {
    id: Id,
    kind: Type.String({ minLength: 1, description: 'The connector kind: mqtt, sparkplug, opcua, mtconnect, modbus, http, file.' }),
    system: Type.Optional(Type.String({ minLength: 1, description: 'The source system name events carry, used for crosswalk lookups. Default: per kind.' })),
    enabled: Type.Optional(Type.Boolean({ description: 'Set false to keep the entry but not start it. Default true.' })),
  },
  { additionalProperties: true },
);
export type ConnectorEntry = Static<typeof ConnectorEntrySchema>;

export const PlantConfigSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'The plant.yaml format version.' }),
    enterprise: Type.Object({ id: Id, name: Type.Optional(Name) }, { additionalProperties: false }),
    sites: Type.Array(SiteSchema, { minItems: 1 }),
    equipmentClasses: Type.Optional(Type.Array(EquipmentClassSchema)),
    materials: Type.Optional(Type.Array(MaterialSchema)),
    crosswalk: Type.Optional(Type.Array(CrosswalkEntrySchema)),
    shifts: Type.Optional(Type.Array(ShiftSchema)),
    roster: Type.Optional(Type.Array(RosterEntrySchema)),
    users: Type.Optional(Type.Array(UserSchema)),
    connectors: Type.Optional(Type.Array(ConnectorEntrySchema)),
    routing: Type.Optional(RoutingConfigSchema),
    oee: Type.Optional(OeeConfigSchema),
    spc: Type.Optional(SpcConfigSchema),
    anomaly: Type.Optional(AnomalyConfigSchema),
    maintenance: Type.Optional(MaintenanceConfigSchema),
    locations: Type.Optional(LocationsConfigSchema),
    notifications: Type.Optional(NotificationsConfigSchema),
    ingest: Type.Optional(IngestConfigSchema),
    store: Type.Optional(StoreConfigSchema),
    server: Type.Optional(ServerConfigSchema),
  },
  { additionalProperties: false },
);
export type PlantConfig = Static<typeof PlantConfigSchema>;
