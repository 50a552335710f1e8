/**
 * `kind: file` — a watched drop folder of CSV files (exports from legacy systems): each row an event or a sample;
 * each file moved to done/ or failed/ with a report.
 */
import { defineConnector } from '../../core/connector.js';
import { FileConfigSchema } from './config.js';
import { createFileConnector } from './file-connector.js';

export const fileConnector = defineConnector({
  kind: 'file',
  defaultSystem: 'file',
  configSchema: FileConfigSchema,
  create: createFileConnector,
});
