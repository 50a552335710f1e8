/**
 * The schema of sim.yaml (TypeBox; the types derive from it). Loading and validation live in config.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'kebab-case id' });
const Positive = Type.Number({ exclusiveMinimum: 0 });
const Range = (description: string) => Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })], { description });
const Reasons = Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }), { minItems: 1 });

/** Parameters shared by the machines of one class (press, cnc, ...). */
export const MachineClassSchema = Type.Object(
  {
    cycleSeconds: Type.Number({ exclusiveMinimum: 0, description: 'Mean processing time of one part.' }),
    cycleSd: Type.Number({ minimum: 0, description: 'Standard deviation of the cycle time.' }),
    scrapRate: Type.Number({ minimum: 0, maximum: 1, description: 'Share of parts scrapped at random (inspections add their own scrap).' }),
    microStopsPerHour: Type.Number({ minimum: 0, description: 'Mean rate of micro-stops per hour of processing.' }),
    microStopSeconds: Range('Shortest and longest micro-stop, seconds (uniform).'),
    microStopReasons: Reasons,
    mtbfHours: Type.Number({ exclusiveMinimum: 0, description: 'Mean processing time between random faults.' }),
    mttrMinutes: Type.Number({ exclusiveMinimum: 0, description: 'Mean repair time of a random fault (exponential, at least 2 min).' }),
    faultReasons: Reasons,
    startSeconds: Type.Number({ minimum: 0, default: 20, description: 'Time in Starting before Execute.' }),
    resetSeconds: Type.Number({ minimum: 0, default: 30, description: 'Time in Stopped after a repair before Idle.' }),
    starvedAfterSeconds: Type.Number({ minimum: 0, default: 120, description: 'Waiting this long for a part from upstream shows as Suspended (starved).' }),
    powerKw: Type.Number({ minimum: 0, default: 20, description: 'Electrical load while processing (Idle draws a fifth).' }),
    airLpm: Type.Number({ minimum: 0, default: 200, description: 'Compressed air drawn while processing, litres per minute.' }),
  },
  { additionalProperties: false },
);
export type MachineClass = Static<typeof MachineClassSchema>;

/** The protocols a machine can speak. */
export const PROTOCOLS = ['opcua', 'sparkplug', 'mtconnect'] as const;
export type MachineProtocol = (typeof PROTOCOLS)[number];

/** The tags every machine has (a machine's `tags` may name a subset). */
export const STANDARD_TAGS = ['State', 'GoodCount', 'ScrapCount', 'StopReason', 'WorkOrder', 'CycleTime'] as const;

/** One machine: its ISA-95 place, class and protocol. */
export const MachineSchema = Type.Object(
  {
    id: Id,
    class: Id,
    area: Id,
    line: Type.Optional(Id),
    protocol: Type.Union(PROTOCOLS.map((protocol) => Type.Literal(protocol))),
    tags: Type.Optional(
      Type.Array(Type.Union(STANDARD_TAGS.map((tag) => Type.Literal(tag))), {
        description: 'Standard tags this machine serves (default all). Physics tags (BoreDiameter, SpindleVibration) come with their section.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MachineConfig = Static<typeof MachineSchema>;

/** The degrading spindle bearing. */
export const BearingSchema = Type.Object(
  {
    machine: Id,
    initialRms: Type.Number({ exclusiveMinimum: 0, default: 1.5, description: 'Vibration velocity RMS of a new bearing, mm/s.' }),
    failureRms: Type.Number({ exclusiveMinimum: 0, default: 11, description: 'RMS at which the bearing fails and the machine faults, mm/s.' }),
    lifeDays: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Simulated days from a new bearing to failure.' }),
    startDay: Type.Number({ minimum: 0, default: 3, description: 'How far into its life the bearing is at the start instant.' }),
    noise: Type.Number({ minimum: 0, default: 0.05, description: 'Relative measurement noise (sd as a share of the value).' }),
    idleRms: Type.Number({ minimum: 0, default: 0.3, description: 'RMS while the spindle is not cutting.' }),
    sampleMs: Type.Integer({ minimum: 1, default: 1000 }),
    repairHours: Type.Number({ exclusiveMinimum: 0, default: 6, description: 'Bearing replacement time; the new bearing starts at day 0.' }),
  },
  { additionalProperties: false },
);
export type BearingConfig = Static<typeof BearingSchema>;

/** A dimension measured on every part at a machine. */
export const DimensionSchema = Type.Object(
  {
    machine: Id,
    characteristic: Id,
    tag: Type.String({ pattern: '^[A-Z][A-Za-z0-9]*$', default: 'BoreDiameter' }),
    nominal: Type.Number({ default: 25 }),
    tolerance: Type.Number({ exclusiveMinimum: 0, default: 0.05, description: 'Parts outside nominal ± tolerance are scrap.' }),
    sigma: Type.Number({ minimum: 0, default: 0.004, description: 'Part-to-part standard deviation, mm.' }),
    driftPer10Parts: Type.Number({ default: 0, description: 'Tool wear: mean shift per 10 parts since the last tool change, mm.' }),
    toolChangeAtShiftStart: Type.Boolean({ default: true }),
    toolLifeParts: Type.Optional(Type.Integer({ minimum: 1, description: 'The worn tool is also changed after this many parts (the drift resets).' })),
  },
  { additionalProperties: false },
);
export type DimensionConfig = Static<typeof DimensionSchema>;

/** A rectangle of the hall map. */
export const ZoneSchema = Type.Object(
  {
    id: Id,
    x: Range('West and east edges, metres.'),
    y: Range('South and north edges, metres.'),
    restrictedFor: Type.Optional(Type.Array(Type.Union([Type.Literal('forklift'), Type.Literal('cart'), Type.Literal('tool')]))),
  },
  { additionalProperties: false },
);
export type ZoneConfig = Static<typeof ZoneSchema>;

/** What an RTLS tag is attached to. */
export const RTLS_KINDS = ['tool', 'cart', 'forklift'] as const;
/** One RTLS tag and its routine. */
export const RtlsTagSchema = Type.Object(
  {
    id: Id,
    kind: Type.Union(RTLS_KINDS.map((kind) => Type.Literal(kind))),
    home: Id,
    visits: Type.Array(Id, { minItems: 1, description: 'Zones it goes to from home and back (tools, forklifts) or in a round (carts).' }),
    speedMps: Positive,
    z: Type.Number({ description: 'Height of the tag above the floor, metres.' }),
    dwellMinutes: Range('Shortest and longest stay at a stop, minutes.'),
  },
  { additionalProperties: false },
);
export type RtlsTagConfig = Static<typeof RtlsTagSchema>;

const AtMinute = Type.Number({ minimum: 0, description: 'Simulated minutes after the start instant.' });

/** The scripted incidents, in simulated minutes after the start instant. */
export const IncidentsSchema = Type.Object(
  {
    longStop: Type.Object(
      { machine: Id, atMinute: AtMinute, durationMinutes: Positive, reason: Id },
      { additionalProperties: false },
    ),
    materialShortage: Type.Object(
      { line: Id, atMinute: AtMinute, autoResolveMinutes: Positive },
      { additionalProperties: false },
    ),
    misplacedTool: Type.Object(
      { tag: Id, atMinute: AtMinute, zone: Id, x: Type.Number(), y: Type.Number() },
      { additionalProperties: false },
    ),
    restrictedZoneEntry: Type.Object(
      { tag: Id, atMinute: AtMinute, zone: Id, x: Type.Number(), y: Type.Number(), dwellSeconds: Positive },
      { additionalProperties: false },
    ),
    unreadableLabel: Type.Object({ atMinute: AtMinute }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type IncidentsConfig = Static<typeof IncidentsSchema>;

const Port = Type.Integer({ minimum: 0, maximum: 65535, description: '0 picks a free port.' });

/** The MTConnect agent's port and buffer when sim.yaml does not set them. */
export const MTCONNECT_DEFAULTS = { port: 15000, bufferSize: 131_072 } as const;

/** The whole of sim.yaml. */
export const SimConfigSchema = Type.Object(
  {
    seed: Type.Union([Type.String({ minLength: 1 }), Type.Number()], { default: 'plantfabric-demo' }),
    speed: Type.Number({ exclusiveMinimum: 0, default: 60, description: 'Simulated seconds per real second.' }),
    start: Type.String({
      format: 'date-time',
      default: '2026-01-05T05:30:00+01:00',
      description: 'Start instant with its UTC offset; the default is a Monday 05:30, half an hour before the early shift.',
    }),
    utcOffsetMinutes: Type.Optional(
      Type.Integer({ minimum: -720, maximum: 840, description: 'Site local time offset for shift times (no daylight saving). Default: the offset written in start.' }),
    ),
    stepMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
    site: Id,
    shifts: Type.Array(Type.Object({ id: Id, start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }) }, { additionalProperties: false }), { minItems: 1 }),
    handoverMinutes: Type.Number({ minimum: 0, default: 5, description: 'Machines running at a shift change are Held this long.' }),
    machineClasses: Type.Record(Id, MachineClassSchema),
    machines: Type.Array(MachineSchema, { minItems: 1 }),
    utilities: Type.Object(
      {
        compressor: Type.Object(
          {
            id: Id,
            area: Id,
            loadBar: Type.Number({ default: 6.5 }),
            unloadBar: Type.Number({ default: 7.5 }),
            capacityLpm: Type.Number({ exclusiveMinimum: 0, default: 6000, description: 'Free air delivered while loaded.' }),
            baseDemandLpm: Type.Number({ minimum: 0, default: 800, description: 'Leaks and tools, always drawn.' }),
            receiverLitres: Type.Number({ exclusiveMinimum: 0, default: 3000 }),
            loadedKw: Type.Number({ minimum: 0, default: 45 }),
            unloadedKw: Type.Number({ minimum: 0, default: 14 }),
          },
          { additionalProperties: false },
        ),
        powerMeter: Type.Object({ id: Id, area: Id, baseKw: Type.Number({ minimum: 0, default: 60 }) }, { additionalProperties: false }),
        sampleMs: Type.Integer({ minimum: 1, default: 1000 }),
      },
      { additionalProperties: false },
    ),
    bearing: BearingSchema,
    dimensions: Type.Array(DimensionSchema),
    erp: Type.Object(
      {
        firstOrderNumber: Type.Integer({ minimum: 1, default: 10001 }),
        releaseLeadMinutes: Type.Number({ minimum: 0, default: 15, description: 'Orders for a shift are released this long before it starts.' }),
        ordersPerShift: Type.Integer({ minimum: 0, default: 3, description: 'Per line.' }),
        carryOverOrders: Type.Integer({ minimum: 0, default: 2, description: 'Per line, released at the start instant (work in progress).' }),
        quantity: Range('Smallest and largest order quantity.'),
        dueShifts: Range('Due at the end of the release shift plus this many shifts.'),
        products: Type.Record(Id, Type.Object({ material: Type.String({ minLength: 1 }), rawMaterial: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    vision: Type.Object(
      {
        camera: Id,
        machine: Id,
        defectRate: Type.Number({ minimum: 0, maximum: 1, default: 0.03 }),
        defectClasses: Reasons,
        scrapAboveConfidence: Type.Number({ minimum: 0, maximum: 1, default: 0.8 }),
      },
      { additionalProperties: false },
    ),
    rtls: Type.Object(
      {
        reportMovingMs: Type.Integer({ minimum: 1, default: 1000 }),
        reportStillMs: Type.Integer({ minimum: 1, default: 10_000 }),
        noiseM: Type.Number({ minimum: 0, default: 0.1 }),
        hall: Type.Object({ width: Positive, depth: Positive }, { additionalProperties: false }),
        zones: Type.Array(ZoneSchema, { minItems: 1 }),
        tags: Type.Array(RtlsTagSchema),
      },
      { additionalProperties: false },
    ),
    incidents: IncidentsSchema,
    endpoints: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        opcua: Type.Object({ port: Port, resourcePath: Type.String({ pattern: '^/', default: '/UA/DemoPlant' }) }, { additionalProperties: false }),
        modbus: Type.Object({ port: Port, unitId: Type.Integer({ minimum: 0, maximum: 255, default: 1 }) }, { additionalProperties: false }),
        enterprise: Type.Object({ port: Port }, { additionalProperties: false }),
        mtconnect: Type.Optional(
          Type.Object(
            {
              port: Port,
              bufferSize: Type.Integer({
                minimum: 1,
                maximum: 16_777_216,
                default: MTCONNECT_DEFAULTS.bufferSize,
                description: 'Observations the agent keeps for sample requests (cppagent BufferSize; 2^17 by default).',
              }),
            },
            { additionalProperties: false, default: { port: MTCONNECT_DEFAULTS.port }, description: 'The MTConnect agent of the CNC machines.' },
          ),
        ),
        rtlsTopicPrefix: Type.String({ minLength: 1, default: 'rtls' }),
        sparkplugPrimaryHost: Type.Optional(
          Type.String({ minLength: 1, description: 'Sparkplug B Primary Host Application id: edge nodes birth only once its STATE is online (so it never sees data before a birth).' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SimConfig = Static<typeof SimConfigSchema>;
