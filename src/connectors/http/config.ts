/**
 * The `kind: webhook` and `kind: rest` entries of plant.yaml, and the declarative JSON → canonical event mapping both
 * share: which items of a payload become events, of which type, with which subject, time and data.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EventMappingsSchema as Mappings, ItemsPathSchema as ItemsPath } from '../../core/event-mapping.js';

export { EventMappingSchema, SubjectMapSchema, ValueSourceSchema, VALUE_CONVERSIONS, type EventMapping, type SubjectMap, type ValueSource } from '../../core/event-mapping.js';

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
