/**
 * `kind: opcua` — OPC UA servers: subscriptions with monitored items, security modes, user/password.
 */
import { defineConnector } from '../../core/connector.js';
import { OpcuaConfigSchema } from './config.js';
import { createOpcuaConnector } from './opcua-connector.js';

export const opcuaConnector = defineConnector({
  kind: 'opcua',
  defaultSystem: 'plc',
  configSchema: OpcuaConfigSchema,
  create: createOpcuaConnector,
});
