/**
 * `npm run bench`: every benchmark, side by side in one run, so the figures compare as ratios on a noisy machine.
 * Options: --events N (default 200000), --batch N (default 10000), --rounds N (default 3), --quick (smaller runs),
 * --only ingest|connectors.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runConnectorBench } from './connectors.bench.js';
import { runIngestBench } from './ingest.bench.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', description: 'ingest or connectors' },
  },
});

const events = values.quick ? 20_000 : Number(values.events);
const batch = Number(values.batch);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(batch) || batch < 1) {
  console.error('--events and --batch take whole numbers');
  process.exit(2);
}

console.log(`Plantfabric benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
if (values.only !== 'connectors') await runIngestBench({ events, batch, rounds: Math.max(1, Number(values.rounds)) });
if (values.only !== 'ingest') await runConnectorBench({ messages: values.quick ? 20_000 : 100_000, opcuaSeconds: values.quick ? 3 : 10 });
