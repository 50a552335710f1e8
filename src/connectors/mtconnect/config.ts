/**
 * The `kind: mtconnect` entry of plant.yaml: one MTConnect agent (HTTP), many data item bindings.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BindingSchema } from '../../core/mapping.js';

export const MtconnectBindingSchema = Type.Composite([
  // `field` is for JSON payloads; an observation's value is always its element text.
  Type.Omit(BindingSchema, ['address', 'field']),
  Type.Object({
    dataItemId: Type.String({ minLength: 1, description: 'The DataItem id from the agent\'s probe, e.g. x2 or execution.' }),
    device: Type.Optional(
      Type.String({ minLength: 1, description: 'Device name or uuid; when set, only that device\'s observations match (for agents serving several devices).' }),
    ),
  }),
]);
export type MtconnectBinding = Static<typeof MtconnectBindingSchema>;

export const MtconnectConfigSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://',
      description: 'The agent\'s base URL, e.g. http://agent.plant.local:5000; a device path may follow (http://agent:5000/VMC-3Axis).',
    }),
    mode: Type.Union([Type.Literal('stream'), Type.Literal('poll')], {
      default: 'stream',
      description: 'stream: one long sample request the agent answers part by part (multipart), with heartbeats; poll: repeated sample requests.',
    }),
    intervalMs: Type.Integer({
      minimum: 0,
      maximum: 3_600_000,
      default: 500,
      description: 'stream: least time between two parts (the agent\'s interval); poll: wait between requests once caught up.',
    }),
    heartbeatMs: Type.Integer({
      minimum: 100,
      maximum: 600_000,
      default: 10_000,
      description: 'stream: the agent sends an empty document after this long without data; silence for heartbeatMs + timeoutMs reopens the stream.',
    }),
    count: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'Most observations per sample answer or stream part.' }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000, description: 'Longest wait for an answer (probe, current, one poll).' }),
    bindings: Type.Array(MtconnectBindingSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type MtconnectConfig = Static<typeof MtconnectConfigSchema>;
