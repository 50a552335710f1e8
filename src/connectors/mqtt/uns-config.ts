/**
 * The `kind: uns` entry of plant.yaml: republish the plant's current state, retained, to an MQTT broker under each
 * equipment's ISA-95 path (the unified namespace of ARCHITECTURE.md §1).
 */
import { Type, type Static } from '@sinclair/typebox';
import { MqttTlsSchema } from './config.js';

export const UNS_TOPICS = ['state', 'alarms', 'counts', 'measurements', 'signals', 'work-order'] as const;
export const UnsTopicSchema = Type.Union(UNS_TOPICS.map((topic) => Type.Literal(topic)));
export type UnsTopic = Static<typeof UnsTopicSchema>;

export const UnsConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^(mqtt|mqtts|tcp|ssl|ws|wss)://', description: 'The broker to publish to, e.g. mqtt://broker.plant.local:1883' }),
    protocolVersion: Type.Union([Type.Literal(4), Type.Literal(5)], { default: 4, description: '4 = MQTT 3.1.1, 5 = MQTT 5' }),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    username: Type.Optional(Type.String()),
    passwordEnv: Type.Optional(Type.String({ description: 'Name of the environment variable holding the password.' })),
    tls: Type.Optional(MqttTlsSchema),
    topicPrefix: Type.String({ default: '', pattern: '^([^#+]*/)?$', description: 'Put before every path, ending in /, e.g. "uns/". Default none.' }),
    publish: Type.Array(UnsTopicSchema, { default: [...UNS_TOPICS], minItems: 1, uniqueItems: true, description: 'Which parts of the state to publish.' }),
    qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
    publishIntervalMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 100,
      description: 'Changes are collected this long and only the latest per topic goes out: a 1 kHz signal costs the broker 10 messages/s.',
    }),
  },
  { additionalProperties: false },
);
export type UnsConfig = Static<typeof UnsConfigSchema>;
