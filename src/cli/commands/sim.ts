/**
 * `plantfabric sim`: the simulated factory on its own, for a separately started Plantfabric (or any other client) to
 * read; or load mode, N tags at R Hz over one protocol, for benchmarks.
 */
import { Option, type Command } from 'commander';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../runtime/embedded-broker.js';
import { LOAD_PROTOCOLS, loadSimConfig, startLoad, startSimulator, type LoadProtocol } from '../../sim/index.js';
import { DEMO_SIM } from '../../runtime/demo.js';
import { parsePositiveInt, parsePositiveNumber } from '../options.js';
import { waitForShutdown } from './start.js';

interface SimCommandOptions {
  config: string;
  seed?: string;
  speed?: number;
  broker?: string;
  webhook?: string;
  load?: boolean;
  protocol: LoadProtocol;
  tags: number;
  rate: number;
  qos: string;
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run the simulated demo factory alone (its OPC UA, Sparkplug B, MTConnect, Modbus and HTTP endpoints), or generate load')
    .option('--config <file>', 'simulator configuration', DEMO_SIM)
    .option('--seed <seed>', 'simulation seed (default from the config)')
    .option('--speed <n>', 'simulated seconds per real second', parsePositiveNumber)
    .option('--broker <url>', 'MQTT broker for Sparkplug B and RTLS (default: start an embedded one on port 18830)')
    .option('--webhook <url>', 'where the camera posts its detections (default: nowhere)')
    .option('--load', 'load mode: N tags changing R times a second over one protocol, instead of the factory')
    .addOption(new Option('--protocol <protocol>', 'load mode protocol').choices(LOAD_PROTOCOLS).default('mqtt'))
    .option('--tags <n>', 'load mode: number of tags', parsePositiveInt, 1000)
    .option('--rate <hz>', 'load mode: changes per tag per second', parsePositiveNumber, 1)
    .addOption(new Option('--qos <qos>', 'load mode, mqtt: QoS').choices(['0', '1']).default('0'))
    .action(async (options: SimCommandOptions) => {
      let broker: EmbeddedBroker | undefined;
      const brokerUrl = async (): Promise<string> => {
        if (options.broker !== undefined) return options.broker;
        broker = await startEmbeddedBroker({ port: 18830 });
        console.log(`embedded MQTT broker on ${broker.url}`);
        return broker.url;
      };
      if (options.load === true) {
        const needsBroker = options.protocol === 'mqtt' || options.protocol === 'sparkplug';
        const load = await startLoad({
          protocol: options.protocol,
          tags: options.tags,
          rateHz: options.rate,
          qos: options.qos === '1' ? 1 : 0,
          ...(needsBroker ? { brokerUrl: await brokerUrl() } : {}),
        });
        console.log(`load: ${options.tags} ${options.protocol} tags at ${options.rate} Hz on ${load.endpoint} (${load.addresses[0]} … ${load.addresses[load.addresses.length - 1]})`);
        const timer = setInterval(() => {
          const report = load.report();
          console.log(`  ${report.values} values in ${(report.elapsedMs / 1000).toFixed(0)} s, ${report.lateTicks} late ticks`);
        }, 5000);
        await waitForShutdown({
          close: async () => {
            clearInterval(timer);
            const report = await load.stop();
            console.log(`sent ${report.values} values (${report.ticks} ticks, ${report.lateTicks} late)`);
            await broker?.close();
          },
        });
        return;
      }
      const loaded = await loadSimConfig(options.config);
      const config = { ...loaded, ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.speed === undefined ? {} : { speed: options.speed }) };
      const sim = await startSimulator(config, {
        brokerUrl: await brokerUrl(),
        ...(options.webhook === undefined ? {} : { webhookUrl: options.webhook }),
        log: (line) => console.log(`  ${line}`),
      });
      console.log(`simulated factory running (seed ${config.seed}, ${config.speed}× real time):`);
      for (const [name, endpoint] of Object.entries(sim.endpoints)) console.log(`  ${name.padEnd(10)} ${JSON.stringify(endpoint)}`);
      await waitForShutdown({
        close: async () => {
          await sim.stop();
          await broker?.close();
        },
      });
    });
}
