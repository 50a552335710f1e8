/**
 * The `kind: modbus` entry: one Modbus TCP unit, polled in groups at their own intervals.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BindingSchema } from '../../core/mapping.js';

export const MODBUS_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const;
export type ModbusType = (typeof MODBUS_TYPES)[number];

export const ModbusBindingSchema = Type.Composite([
  Type.Omit(BindingSchema, ['address']),
  Type.Object({
    address: Type.String({
      pattern: '^(coil|discrete|input|holding):\\d{1,5}$',
      description: '<table>:<offset>, table one of coil, discrete, input, holding; offset 0-based (register 40001 is holding:0).',
    }),
    type: Type.Union(MODBUS_TYPES.map((type) => Type.Literal(type)), { default: 'uint16', description: 'bool for coils and discrete inputs.' }),
    byteOrder: Type.Union([Type.Literal('big'), Type.Literal('little')], { default: 'big', description: 'Byte order inside each 16-bit register.' }),
    wordOrder: Type.Union([Type.Literal('big'), Type.Literal('little')], { default: 'big', description: 'For 32/64-bit values: big = high word first.' }),
  }),
]);
export type ModbusBinding = Static<typeof ModbusBindingSchema>;

export const PollGroupSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    intervalMs: Type.Integer({ minimum: 10, default: 1000 }),
    bindings: Type.Array(ModbusBindingSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type PollGroup = Static<typeof PollGroupSchema>;

export const ModbusConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 502 }),
    unitId: Type.Integer({ minimum: 0, maximum: 255, default: 1 }),
    timeoutMs: Type.Integer({ minimum: 50, default: 2000 }),
    pollGroups: Type.Array(PollGroupSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ModbusConfig = Static<typeof ModbusConfigSchema>;
