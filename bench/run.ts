/**
 * `npm run bench`: every benchmark, side by side in one run, so the figures compare as ratios on a noisy machine.
 * Options: --events N (default 200000), --batch N (default 10000), --rounds N (default 3), --quick (20000 events).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runIngestBench } from './ingest.bench.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
  },
});

const events = values.quick ? 20_000 : Number(values.events);
const batch = Number(values.batch);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(batch) || batch < 1) {
  console.error('--events and --batch take whole numbers');
  process.exit(2);
}

console.log(`Plantfabric benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
await runIngestBench({ events, batch, rounds: Math.max(1, Number(values.rounds)) });
