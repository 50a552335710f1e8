/**
 * The `kind: webhook` and `kind: rest` entries of plant.yaml, and the declarative JSON → canonical event mapping both
 * share: which items of a payload become events, of which type, with which subject, time and data.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPES } from '../../core/event-types.js';

const DottedPath = Type.String({ minLength: 1, description: 'A dotted path into the JSON item, e.g. order.header.no or lines.0.qty.' });

export const VALUE_CONVERSIONS = ['string', 'number', 'integer', 'boolean', 'timestamp'] as const;

/** Where one value of the event comes from: a field of the item (by path) or a constant. */
export const ValueSourceSchema = Type.Union(
  [
    DottedPath,
    Type.Object(
      {
        path: DottedPath,
        as: Type.Optional(Type.Union(VALUE_CONVERSIONS.map((kind) => Type.Literal(kind)), {
          description: 'Convert the value: "50" → 50 for number, epoch ms or ISO text → ISO 8601 UTC for timestamp.',
        })),
        optional: Type.Optional(Type.Boolean({ description: 'Leave the key out when the field is missing, instead of rejecting the item.' })),
        default: Type.Optional(Type.Unknown({ description: 'Used when the field is missing.' })),
      },
      { additionalProperties: false },
    ),
    Type.Object({ value: Type.Unknown({ description: 'A constant.' }) }, { additionalProperties: false }),
  ],
  { description: 'A dotted path (the field must be present), { path, as, optional, default }, or { value: <constant> }.' },
);
export type ValueSource = Static<typeof ValueSourceSchema>;

/** Subject ids from the item, as the sending system names them (the pipeline resolves them through the crosswalk). */
export const SubjectMapSchema = Type.Object(
  {
    equipment: Type.Optional(ValueSourceSchema),
    workOrder: Type.Optional(ValueSourceSchema),
    operation: Type.Optional(ValueSourceSchema),
    material: Type.Optional(ValueSourceSchema),
    lot: Type.Optional(ValueSourceSchema),
    serial: Type.Optional(ValueSourceSchema),
    person: Type.Optional(ValueSourceSchema),
    location: Type.Optional(ValueSourceSchema),
  },
  { additionalProperties: false },
);
export type SubjectMap = Static<typeof SubjectMapSchema>;

const CATALOGUE_TYPES = Object.keys(EVENT_TYPES);

export const EventMappingSchema = Type.Object(
  {
    when: Type.Optional(
      Type.Object(
        {
          field: DottedPath,
          equals: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
        },
        { additionalProperties: false, description: 'This mapping applies only to items whose field has this value.' },
      ),
    ),
    eventType: Type.Union(
      [
        ...CATALOGUE_TYPES.map((type) => Type.Literal(type)),
        Type.String({ pattern: '^custom(\\.[a-z][a-z0-9-]*)+$', maxLength: 128, description: 'A plant-specific type under the custom. prefix.' }),
      ],
      { description: 'A catalogue type (docs/events.md), or custom.<...>.' },
    ),
    subject: Type.Optional(SubjectMapSchema),
    occurredAt: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path to the time it happened (ISO 8601 with a zone, or epoch ms). Default: receive time.' })),
    data: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ValueSourceSchema, { description: 'Event data key → where its value comes from.' })),
    quality: Type.Optional(Type.Union([Type.Literal('good'), Type.Literal('uncertain'), Type.Literal('bad')])),
  },
  { additionalProperties: false },
);
export type EventMapping = Static<typeof EventMappingSchema>;

const Mappings = Type.Array(EventMappingSchema, { minItems: 1, description: 'Tried in order; the first whose `when` matches maps the item.' });
const ItemsPath = Type.Optional(Type.String({ minLength: 1, description: 'Dotted path to the array of items in the body. Default: the body is one item or an array of items.' }));
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Name of an environment variable (never the secret itself).' });
const SystemName = Type.String({ minLength: 1, maxLength: 64, description: 'The source system (erp, mes, qms, cmms, wms) events carry, for crosswalk lookups.' });

export const HmacSchema = Type.Object(
  {
    secretEnv: EnvName,
    header: Type.String({ minLength: 1, default: 'x-signature-256', description: 'Header carrying the signature.' }),
    algorithm: Type.Union([Type.Literal('sha256'), Type.Literal('sha512'), Type.Literal('sha1')], { default: 'sha256' }),
    encoding: Type.Union([Type.Literal('hex'), Type.Literal('base64')], { default: 'hex' }),
    prefix: Type.Optional(Type.String({ description: 'Text before the digest in the header, e.g. "sha256=" (GitHub).' })),
    timestampHeader: Type.Optional(Type.String({ minLength: 1, description: 'Header with the send time (epoch seconds or ISO 8601). When set, the signature covers "<timestamp>.<body>".' })),
    toleranceSeconds: Type.Integer({ minimum: 1, default: 300, description: 'Refuse requests whose timestamp is further than this from our clock (replays).' }),
  },
  { additionalProperties: false },
);
export type HmacConfig = Static<typeof HmacSchema>;

export const WebhookEndpointSchema = Type.Object(
  {
    path: Type.String({ pattern: '^/[A-Za-z0-9._~/-]*$', description: 'URL path the system posts to, e.g. /hooks/erp.' }),
    system: Type.Optional(SystemName),
    secretEnv: Type.Optional(EnvName),
    secretHeader: Type.String({ minLength: 1, default: 'x-plantfabric-secret', description: 'Header carrying the shared secret (with secretEnv).' }),
    hmac: Type.Optional(HmacSchema),
    itemsPath: ItemsPath,
    mappings: Mappings,
  },
  { additionalProperties: false },
);
export type WebhookEndpoint = Static<typeof WebhookEndpointSchema>;

export const WebhookConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 for all.' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    bodyLimitBytes: Type.Integer({ minimum: 1, default: 1_048_576, description: 'Larger bodies are answered 413.' }),
    endpoints: Type.Array(WebhookEndpointSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type WebhookConfig = Static<typeof WebhookConfigSchema>;

export const RestPollSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Names the poll; its cursor is kept under this id.' }),
    path: Type.String({ pattern: '^/', description: 'Path under baseUrl, e.g. /api/workorders.' }),
    query: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    intervalMs: Type.Integer({ minimum: 50, default: 60_000 }),
    system: Type.Optional(SystemName),
    itemsPath: ItemsPath,
    limitParam: Type.Optional(Type.String({ minLength: 1, description: 'Query parameter for the page size, e.g. limit.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, description: 'Page size; a full page means another page follows.' })),
    cursorParam: Type.Optional(Type.String({ minLength: 1, description: 'Query parameter carrying the cursor, e.g. since.' })),
    cursorField: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path in the LAST item of a page to the next cursor, e.g. updatedAt.' })),
    nextCursorField: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path in the response body to the next cursor, e.g. nextCursor; present means another page follows.' })),
    initialCursor: Type.Optional(Type.String({ description: 'Cursor of the very first request; default: none (the server decides).' })),
    maxPages: Type.Integer({ minimum: 1, default: 100, description: 'Pages read in one round at most; the rest follow next round.' }),
    mappings: Mappings,
  },
  { additionalProperties: false },
);
export type RestPoll = Static<typeof RestPollSchema>;

export const RestConfigSchema = Type.Object(
  {
    baseUrl: Type.String({ pattern: '^https?://', description: 'http(s)://host[:port][/prefix]' }),
    bearerTokenEnv: Type.Optional(EnvName),
    basic: Type.Optional(Type.Object({ usernameEnv: EnvName, passwordEnv: EnvName }, { additionalProperties: false })),
    headers: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String(), { description: 'Extra request headers (no secrets: use the *Env keys).' })),
    timeoutMs: Type.Integer({ minimum: 50, default: 10_000, description: 'Whole-request deadline.' }),
    maxResponseBytes: Type.Integer({ minimum: 1024, default: 16 * 1_048_576 }),
    polls: Type.Array(RestPollSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type RestConfig = Static<typeof RestConfigSchema>;
