/**
 * `kind: modbus` — Modbus TCP units polled in groups: coils, discrete inputs, input and holding registers.
 */
import { defineConnector } from '../../core/connector.js';
import { ModbusConfigSchema } from './config.js';
import { createModbusConnector } from './modbus-connector.js';

export const modbusConnector = defineConnector({
  kind: 'modbus',
  defaultSystem: 'plc',
  configSchema: ModbusConfigSchema,
  create: createModbusConnector,
});
