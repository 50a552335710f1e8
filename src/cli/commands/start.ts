/**
 * `plantfabric start`: the layer on the embedded default (SQLite under ./data, in-process bus), until a signal.
 */
import type { Command } from 'commander';
import { startRuntime, type Runtime } from '../../runtime/create-runtime.js';
import { parsePort } from '../options.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run Plantfabric on the embedded default (SQLite file under the data folder) and serve the API')
    .option('-c, --config <file>', 'plant configuration', 'plant.yaml')
    .option('--data <dir>', 'data folder (overrides store.dataDir in the config)')
    .option('--host <host>', 'address to listen on (overrides server.host; default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (overrides server.port; default 8080, 0 picks a free one)', parsePort)
    .option('--log', 'log every HTTP request as JSON lines')
    .action(async (options: { config: string; data?: string; host?: string; port?: number; log?: boolean }) => {
      const runtime = await startRuntime({
        configFile: options.config,
        ...(options.data === undefined ? {} : { dataDir: options.data }),
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.port === undefined ? {} : { port: options.port }),
        logger: options.log === true,
      });
      console.log(`Plantfabric is running: ${runtime.url}`);
      console.log(`  plant ${runtime.config.enterprise.id}, ${runtime.plant.nodesAt('equipment').length} equipment, data in ${runtime.dataDir}`);
      console.log(`  API ${runtime.url}/api/v1, OpenAPI ${runtime.url}/api/v1/openapi.json, metrics ${runtime.url}/metrics`);
      console.log('  Ctrl-C stops it cleanly.');
      await waitForShutdown(runtime);
    });
}

/** Resolves after SIGINT/SIGTERM once the runtime has drained and closed; a second signal forces the exit. */
export function waitForShutdown(runtime: Pick<Runtime, 'close'>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      console.log(`${signal}: draining and closing...`);
      runtime.close().then(
        () => {
          console.log('stopped cleanly');
          resolve();
        },
        (error: unknown) => {
          console.error(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
