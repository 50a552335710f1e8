/**
 * Opens the data of a plant for one CLI command and always closes it, so a command never leaves the store open.
 */
import { userInfo } from 'node:os';
import { createCore, type Core } from '../runtime/create-runtime.js';

export interface CoreCommandOptions {
  config: string;
  data?: string;
}

export async function withCore<T>(options: CoreCommandOptions, work: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ configFile: options.config, ...(options.data === undefined ? {} : { dataDir: options.data }) });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

/**
 * Who the audit ledger names for a change made on the command line: the operating-system user, because the CLI works
 * on the data folder directly, beside the API's own logins.
 */
export function cliActor(): string {
  let name = process.env['USER'] ?? process.env['LOGNAME'] ?? 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the environment's name, or unknown, is the best we have.
  }
  return `cli:${name}`;
}

/** The options every data command shares. */
export function dataOptions<T extends { option(flags: string, description: string, defaultValue?: string): T }>(command: T): T {
  return command
    .option('-c, --config <file>', 'plant configuration', 'plant.yaml')
    .option('--data <dir>', 'data folder (overrides store.dataDir in the config)');
}
