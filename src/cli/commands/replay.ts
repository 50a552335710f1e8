/**
 * `plantfabric replay`: shadow mode. Runs engines and routing rules (optionally a new plant.yaml) over recorded
 * history in a scratch copy and reports what would have been raised, without touching live cases.
 */
import type { Command } from 'commander';
import { runReplay, type ReplayReport } from '../../runtime/replay.js';
import { parsePositiveNumber, parseTime } from '../options.js';

interface ReplayCommandOptions {
  config: string;
  data?: string;
  from: number;
  to: number;
  engines?: string;
  shadow?: string;
  warmupHours: number;
  routing: boolean;
  json?: boolean;
}

function print(report: ReplayReport): void {
  console.log(`\nreplay ${report.from} → ${report.to}: ${report.fed.events} events and ${report.fed.samples} samples fed; engines ${report.engines.join(', ') || 'none'}`);
  const byType = new Map<string, number>();
  for (const event of report.derived) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  console.log('\nderived events in the window:');
  if (byType.size === 0) console.log('  none');
  for (const [type, count] of [...byType.entries()].sort()) console.log(`  ${String(count).padStart(6)}  ${type}`);
  console.log('\ncases the routing rules would open in the window:');
  if (report.cases.length === 0) console.log('  none');
  for (const entry of report.cases) {
    console.log(`  ${entry.openedAt}  ${entry.severity.padEnd(8)} ${entry.rule.padEnd(20)} ${entry.title}${entry.workOrder === undefined ? '' : ` (order ${entry.workOrder})`}${entry.signals > 1 ? ` ×${entry.signals}` : ''}`);
  }
  const { same, onlyReplay, onlyLive } = report.comparison;
  console.log(`\nagainst the recorded run's engine output: ${same} identical, ${onlyReplay} only in the replay, ${onlyLive} only in the recorded run`);
  for (const line of report.comparison.examples.onlyReplay) console.log(`  + ${line.slice(0, 300)}`);
  for (const line of report.comparison.examples.onlyLive) console.log(`  - ${line.slice(0, 300)}`);
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('shadow mode: run engines and routing rules over recorded history and report what would be raised, without touching live cases')
    .option('-c, --config <file>', 'plant configuration of the recorded run (names its data folder)', 'plant.yaml')
    .option('--data <dir>', 'data folder of the recorded run (overrides store.dataDir)')
    .requiredOption('--from <time>', 'start of the window to report (ISO 8601)', parseTime)
    .requiredOption('--to <time>', 'end of the window (ISO 8601)', parseTime)
    .option('--engines <ids>', 'comma-separated engine ids to run (oee, location, spc, anomaly, maintenance); default all')
    .option('--shadow <file>', 'the plant configuration to judge (new rules, limits, models); default the recorded one')
    .option('--warmup-hours <n>', 'history fed before --from so engines and conditions start where they were', parsePositiveNumber, 24)
    .option('--no-routing', 'run engines only, no routing rules')
    .option('--json', 'print the report as JSON')
    .action(async (options: ReplayCommandOptions) => {
      const report = await runReplay({
        liveConfigFile: options.config,
        ...(options.data === undefined ? {} : { liveDataDir: options.data }),
        ...(options.shadow === undefined ? {} : { shadowConfigFile: options.shadow }),
        from: options.from,
        to: options.to,
        warmupMs: options.warmupHours * 3_600_000,
        routing: options.routing,
        ...(options.engines === undefined ? {} : { engines: options.engines.split(',').map((id) => id.trim()).filter((id) => id !== '') }),
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      if (options.json === true) console.log(JSON.stringify(report, null, 2));
      else print(report);
    });
}
