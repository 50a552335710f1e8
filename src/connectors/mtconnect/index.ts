/**
 * `kind: mtconnect` — devices, samples, events and conditions from an MTConnect agent over HTTP (probe, current,
 * sample by sequence; streaming or polling). Read-only: MTConnect has no write-back.
 */
import { defineConnector } from '../../core/connector.js';
import { MtconnectConfigSchema } from './config.js';
import { createMtconnectConnector } from './mtconnect-connector.js';

export const mtconnectConnector = defineConnector({
  kind: 'mtconnect',
  defaultSystem: 'plc',
  configSchema: MtconnectConfigSchema,
  create: createMtconnectConnector,
});
