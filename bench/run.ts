/**
 * `npm run bench`: every benchmark, side by side in one run, so the figures compare as ratios on a noisy machine.
 * Options: --events N (default 200000), --batch N (default 10000), --rounds N (default 3), --quick (smaller runs),
 * --only ingest,connectors,cases,anomaly,engines (a comma-separated subset).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runAnomalyBench } from './anomaly.bench.js';
import { runCasesBench } from './cases.bench.js';
import { runConnectorBench } from './connectors.bench.js';
import { runEnginesBench } from './engines.bench.js';
import { runIngestBench } from './ingest.bench.js';

const BENCHES = ['ingest', 'connectors', 'cases', 'anomaly', 'engines'] as const;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', description: `a comma-separated subset of ${BENCHES.join(', ')}` },
  },
});

const events = values.quick ? 20_000 : Number(values.events);
const batch = Number(values.batch);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(batch) || batch < 1) {
  console.error('--events and --batch take whole numbers');
  process.exit(2);
}
const selected = new Set(values.only === undefined ? BENCHES : values.only.split(',').map((name) => name.trim()));
const unknown = [...selected].filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
const rounds = Math.max(1, Number(values.rounds));

console.log(`Plantfabric benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
if (selected.has('ingest')) await runIngestBench({ events, batch, rounds });
if (selected.has('connectors')) await runConnectorBench({ messages: values.quick ? 20_000 : 100_000, opcuaSeconds: values.quick ? 3 : 10 });
if (selected.has('cases')) await runCasesBench({ faults: values.quick ? 60 : 300 });
if (selected.has('anomaly')) await runAnomalyBench({ rounds, ...(values.quick ? { samplesPerSignal: 200 } : {}) });
if (selected.has('engines')) await runEnginesBench({ rounds, ...(values.quick ? { samplesPerSignal: 200 } : {}) });
