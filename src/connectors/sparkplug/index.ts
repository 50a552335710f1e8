/**
 * `kind: sparkplug` — Sparkplug B 3.0 edge nodes and devices over an MQTT broker, with Plantfabric as host application.
 */
import { defineConnector } from '../../core/connector.js';
import { SparkplugConfigSchema } from './config.js';
import { createSparkplugConnector } from './sparkplug-connector.js';

export const sparkplugConnector = defineConnector({
  kind: 'sparkplug',
  defaultSystem: 'plc',
  configSchema: SparkplugConfigSchema,
  create: createSparkplugConnector,
});
