/**
 * The `kind: sparkplug` entry: Plantfabric as a Sparkplug B 3.0 host application on one broker.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BindingSchema } from '../../core/mapping.js';

export const SparkplugBindingSchema = Type.Composite([
  Type.Omit(BindingSchema, ['address']),
  Type.Object({
    address: Type.String({
      pattern: '^[^:]+:.+$',
      description: '<group>/<edge>[/<device>]:<metric name>; + stands for any one of group, edge or device, and {0} {1} {2} in equipment or signal for their values.',
    }),
  }),
]);
export type SparkplugBinding = Static<typeof SparkplugBindingSchema>;

export const SparkplugConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^(mqtt|mqtts|tcp|ssl)://', description: 'The broker the edge nodes publish to.' }),
    hostId: Type.String({ pattern: '^[^/#+]+$', default: 'plantfabric', description: 'Host application id: STATE is published on spBv1.0/STATE/<hostId>.' }),
    groups: Type.Array(Type.String({ pattern: '^[^/#+]+$' }), { default: [], description: 'Group ids to subscribe to; empty means all.' }),
    username: Type.Optional(Type.String()),
    passwordEnv: Type.Optional(Type.String({ description: 'Environment variable holding the password.' })),
    rebirthIntervalMs: Type.Integer({ minimum: 0, default: 5000, description: 'Least time between two rebirth requests to the same node.' }),
    flushMs: Type.Integer({ minimum: 0, maximum: 1000, default: 20 }),
    bindings: Type.Array(SparkplugBindingSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type SparkplugConfig = Static<typeof SparkplugConfigSchema>;
