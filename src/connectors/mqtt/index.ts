/**
 * `kind: mqtt` — JSON (or plain value) payloads on topic filters, from any MQTT 3.1.1 or 5 broker; and `kind: uns` —
 * the plant's current state published, retained, under ISA-95 paths (the unified namespace).
 */
import { defineConnector } from '../../core/connector.js';
import { MqttConfigSchema } from './config.js';
import { createMqttConnector } from './mqtt-connector.js';
import { UnsConfigSchema } from './uns-config.js';
import { createUnsConnector } from './uns-connector.js';

export const mqttConnector = defineConnector({
  kind: 'mqtt',
  defaultSystem: 'mqtt',
  configSchema: MqttConfigSchema,
  create: createMqttConnector,
});

export const unsConnector = defineConnector({
  kind: 'uns',
  defaultSystem: 'plantfabric',
  configSchema: UnsConfigSchema,
  create: createUnsConnector,
});
