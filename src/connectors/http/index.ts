/**
 * `kind: webhook` — JSON posted by plant systems (ERP, MES, QMS, CMMS, WMS) to endpoints of one HTTP listener — and
 * `kind: rest` — JSON read from a REST API by polling with a cursor. Both map items to canonical events with the same
 * declarative mapping.
 */
import { defineConnector } from '../../core/connector.js';
import { RestConfigSchema, WebhookConfigSchema } from './config.js';
import { createRestConnector } from './rest-connector.js';
import { createWebhookConnector } from './webhook-connector.js';

export const webhookConnector = defineConnector({
  kind: 'webhook',
  defaultSystem: 'mes',
  configSchema: WebhookConfigSchema,
  create: createWebhookConnector,
});

export const restConnector = defineConnector({
  kind: 'rest',
  defaultSystem: 'erp',
  configSchema: RestConfigSchema,
  create: createRestConnector,
});
