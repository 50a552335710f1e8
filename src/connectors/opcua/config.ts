/**
 * The `kind: opcua` entry: one OPC UA session to one server endpoint, one subscription, many monitored items.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BindingSchema } from '../../core/mapping.js';

export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

export const OpcuaBindingSchema = Type.Composite([
  Type.Omit(BindingSchema, ['address']),
  Type.Object({
    address: Type.String({ minLength: 1, description: 'Node id, e.g. ns=2;s=Line1.Press1.Speed (see `plantfabric browse`).' }),
    samplingIntervalMs: Type.Optional(Type.Integer({ minimum: 0, description: 'Overrides the connector default for this item.' })),
  }),
]);
export type OpcuaBinding = Static<typeof OpcuaBindingSchema>;

export const OpcuaConfigSchema = Type.Object(
  {
    endpoint: Type.String({ pattern: '^opc\\.tcp://', description: 'opc.tcp://host:4840/path' }),
    securityMode: Type.Union(SECURITY_MODES.map((mode) => Type.Literal(mode)), { default: 'None' }),
    securityPolicy: Type.Optional(Type.Union(SECURITY_POLICIES.map((policy) => Type.Literal(policy)), { description: 'Default Basic256Sha256 when securityMode is not None.' })),
    username: Type.Optional(Type.String({ description: 'User name; anonymous when absent.' })),
    passwordEnv: Type.Optional(Type.String({ description: 'Environment variable holding the password.' })),
    pkiDir: Type.Optional(Type.String({ description: 'Certificate folder (own/, trusted/certs/, rejected/); default under the data folder. Put the server certificate in trusted/certs/.' })),
    samplingIntervalMs: Type.Integer({ minimum: 0, default: 250 }),
    publishingIntervalMs: Type.Integer({ minimum: 10, default: 250 }),
    queueSize: Type.Integer({ minimum: 1, default: 100, description: 'Changes the server keeps per item between publishes.' }),
    flushMs: Type.Integer({ minimum: 0, maximum: 1000, default: 20 }),
    bindings: Type.Array(OpcuaBindingSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type OpcuaConfig = Static<typeof OpcuaConfigSchema>;
