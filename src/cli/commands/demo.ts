/**
 * `plantfabric demo` (what `npm start` runs): the simulated factory and the whole layer in one process, the web UI on
 * the printed URL, a live one-line summary, and a clean stop on Ctrl-C.
 */
import type { Command } from 'commander';
import { LIVE_CASE_STATUSES } from '../../core/cases.js';
import { startDemo, type DemoHandle } from '../../runtime/demo.js';
import { parsePort, parsePositiveNumber } from '../options.js';
import { waitForShutdown } from './start.js';

interface DemoCommandOptions {
  seed?: string;
  speed?: number;
  port?: number;
  host?: string;
  data?: string;
  reset?: boolean;
  config?: string;
  sim?: string;
  autoPorts?: boolean;
}

/** One line: plant time, events per second, connectors up, open cases. */
async function summary(demo: DemoHandle, previous: { head: number; at: number }): Promise<string> {
  const head = await demo.runtime.stores.events.head();
  const now = Date.now();
  const rate = ((head - previous.head) * 1000) / Math.max(1, now - previous.at);
  previous.head = head;
  previous.at = now;
  const connectors = demo.runtime.connectors.status().filter((status) => status.enabled);
  const up = connectors.filter((status) => status.health.state === 'connected').length;
  const open = await demo.runtime.stores.operations.countCases({ status: LIVE_CASE_STATUSES });
  const plantTime = new Date(demo.sim.clock.now()).toISOString().replace('T', ' ').slice(0, 19);
  return `plant ${plantTime} UTC · ${rate.toFixed(0)} events/s · connectors ${up}/${connectors.length} up · ${open} open cases · ${head} events`;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the simulated demo factory and Plantfabric together, with the web UI (what npm start runs)')
    .option('--seed <seed>', 'simulation seed: the same seed and speed give the same plant (default from sim.yaml)')
    .option('--speed <n>', 'simulated seconds per real second (default 60: a shift in 8 minutes)', parsePositiveNumber)
    .option('--port <port>', 'web UI and API port (default 8080; 0 picks a free one)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--data <dir>', 'data folder (default ./data/demo)')
    .option('--reset', 'start from an empty data folder and the simulation\'s first instant')
    .option('--auto-ports', 'use free ports for every simulated endpoint (to run beside another demo)')
    .option('-c, --config <file>', 'plant configuration (default examples/demo/plant.yaml)')
    .option('--sim <file>', 'simulator configuration (default examples/demo/sim.yaml)')
    .action(async (options: DemoCommandOptions) => {
      const demo = await startDemo({
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.speed === undefined ? {} : { speed: options.speed }),
        ...(options.port === undefined ? {} : { port: options.port }),
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.data === undefined ? {} : { dataDir: options.data }),
        ...(options.config === undefined ? {} : { configFile: options.config }),
        ...(options.sim === undefined ? {} : { simFile: options.sim }),
        reset: options.reset === true,
        ports: options.autoPorts === true ? 'auto' : 'fixed',
        log: (line) => console.log(`  ${line}`),
      });
      const { runtime } = demo;
      console.log(`\nPlantfabric demo plant is running: ${runtime.url}`);
      console.log(`  ${runtime.plant.nodesAt('equipment').length} equipment over OPC UA, Sparkplug B, MTConnect, Modbus TCP, REST, webhooks and MQTT; data in ${runtime.dataDir}`);
      console.log('  Log in as (password demo-<user>):');
      for (const user of runtime.config.users ?? []) {
        const roles = [...new Set(user.grants.map((grant) => grant.role))].join(', ');
        console.log(`    ${roles.padEnd(12)} ${user.id} / demo-${user.id}   (${user.name})`);
      }
      console.log('  Ctrl-C stops it cleanly; the next start goes on from the plant time reached (--reset starts over).\n');
      const previous = { head: await runtime.stores.events.head(), at: Date.now() };
      const interactive = process.stdout.isTTY === true;
      const timer = setInterval(() => {
        summary(demo, previous).then(
          (line) => process.stdout.write(interactive ? `\r${line}\u001b[K` : `${line}\n`),
          (error: unknown) => console.error(`summary failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }, interactive ? 2000 : 15000);
      await waitForShutdown({
        close: async () => {
          clearInterval(timer);
          if (interactive) process.stdout.write('\n');
          await demo.stop();
        },
      });
    });
}
