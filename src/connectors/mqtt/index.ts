/**
 * `kind: mqtt` — JSON (or plain value) payloads on topic filters, from any MQTT 3.1.1 or 5 broker.
 */
import { defineConnector } from '../../core/connector.js';
import { MqttConfigSchema } from './config.js';
import { createMqttConnector } from './mqtt-connector.js';

export const mqttConnector = defineConnector({
  kind: 'mqtt',
  defaultSystem: 'mqtt',
  configSchema: MqttConfigSchema,
  create: createMqttConnector,
});
