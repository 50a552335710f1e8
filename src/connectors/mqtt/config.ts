/**
 * The `kind: mqtt` entry of plant.yaml: one broker connection, many topic bindings.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EventMappingSchema } from '../../core/event-mapping.js';
import { BindingSchema } from '../../core/mapping.js';

export const MqttBindingSchema = Type.Composite([
  Type.Omit(BindingSchema, ['address']),
  Type.Object({
    topic: Type.String({
      minLength: 1,
      description: 'Topic filter with + and # wildcards. {n} in equipment or signal stands for topic level n (0-based).',
    }),
  }),
]);
export type MqttBinding = Static<typeof MqttBindingSchema>;

/** A JSON document on a topic that becomes a whole event (an RTLS position, a vision finding), not one tag value. */
export const MqttEventMappingSchema = Type.Composite([
  Type.Object({
    topic: Type.String({ minLength: 1, description: 'Topic filter with + and # wildcards.' }),
    itemsPath: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path to an array of items in the payload; default: the payload is one item or an array.' })),
  }),
  EventMappingSchema,
]);
export type MqttEventMapping = Static<typeof MqttEventMappingSchema>;

export const MqttTlsSchema = Type.Object(
  {
    caFile: Type.Optional(Type.String({ description: 'PEM file of the CA that signed the broker certificate.' })),
    certFile: Type.Optional(Type.String({ description: 'Client certificate (PEM) for mutual TLS.' })),
    keyFile: Type.Optional(Type.String({ description: 'Client key (PEM).' })),
    rejectUnauthorized: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const MqttConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^(mqtt|mqtts|tcp|ssl|ws|wss)://', description: 'mqtt://host:1883 or mqtts://host:8883' }),
    protocolVersion: Type.Union([Type.Literal(4), Type.Literal(5)], { default: 4, description: '4 = MQTT 3.1.1, 5 = MQTT 5' }),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    username: Type.Optional(Type.String()),
    passwordEnv: Type.Optional(Type.String({ description: 'Name of the environment variable holding the password (never the password itself).' })),
    cleanSession: Type.Boolean({ default: true, description: 'false keeps a persistent session: the broker queues QoS 1 messages while we are away.' }),
    qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
    tls: Type.Optional(MqttTlsSchema),
    timestampField: Type.Optional(Type.String({ description: 'Dotted path to the source time in the JSON payload (epoch ms or ISO 8601). Default: receive time.' })),
    flushMs: Type.Integer({ minimum: 0, maximum: 1000, default: 20, description: 'Longest time readings wait to be ingested together.' }),
    bindings: Type.Array(MqttBindingSchema, { default: [], description: 'Tag values on topics (at least one binding or event mapping).' }),
    events: Type.Array(MqttEventMappingSchema, { default: [], description: 'JSON documents on topics mapped to whole events; tried in order, the first matching topic and `when` wins.' }),
  },
  { additionalProperties: false },
);
export type MqttConfig = Static<typeof MqttConfigSchema>;
