/**
 * `plantfabric deadletters list|show|replay|discard`: look at rejected input and re-run it after a fix.
 * Works on the data folder directly, so it also runs while the server is stopped.
 */
import { Option, type Command } from 'commander';
import type { DeadLetter, DeadLetterStage, DeadLetterStatus } from '../../core/store.js';
import { parsePositiveInt } from '../options.js';
import { dataOptions, withCore, type CoreCommandOptions } from '../with-core.js';

const STAGES: DeadLetterStage[] = ['decode', 'validate', 'dedupe', 'resolve', 'persist', 'publish', 'engine', 'connector'];
const STATUSES: Array<DeadLetterStatus | 'all'> = ['open', 'replayed', 'discarded', 'all'];
const PREVIEW_CHARS = 80;

function preview(entry: DeadLetter): string {
  const text = Buffer.from(entry.raw).toString('utf8').replace(/\s+/g, ' ');
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

export function registerDeadLetters(program: Command): void {
  const group = program.command('deadletters').description('inspect and replay input that ingest rejected');

  dataOptions(group.command('list'))
    .description('list dead letters, oldest first')
    .addOption(new Option('--status <status>', 'which ones').choices(STATUSES).default('open'))
    .addOption(new Option('--stage <stage>', 'only one pipeline stage').choices(STAGES))
    .option('--limit <n>', 'most rows', parsePositiveInt, 100)
    .option('--json', 'print JSON lines (raw bytes as base64)')
    .action(async (options: CoreCommandOptions & { status: DeadLetterStatus | 'all'; stage?: DeadLetterStage; limit: number; json?: boolean }) => {
      await withCore(options, async (core) => {
        const entries = await core.stores.deadLetters.list({
          ...(options.status === 'all' ? {} : { status: options.status }),
          ...(options.stage === undefined ? {} : { stage: options.stage }),
          limit: options.limit,
        });
        if (options.json === true) {
          for (const entry of entries) console.log(JSON.stringify({ ...entry, raw: Buffer.from(entry.raw).toString('base64') }));
          return;
        }
        if (entries.length === 0) {
          console.log(`no ${options.status === 'all' ? '' : `${options.status} `}dead letters`);
          return;
        }
        for (const entry of entries) {
          console.log(`${entry.id}  ${new Date(entry.createdAt).toISOString()}  ${entry.status.padEnd(9)} ${entry.stage.padEnd(8)} ${entry.code}`);
          console.log(`    ${entry.message}`);
          console.log(`    raw: ${preview(entry)}`);
        }
        console.log(`${entries.length} shown`);
      });
    });

  dataOptions(group.command('show <id>'))
    .description('print one dead letter in full, raw bytes as text')
    .action(async (id: string, options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        const entry = await core.stores.deadLetters.get(id);
        if (entry === undefined) {
          console.error(`no dead letter with id ${id}`);
          process.exitCode = 1;
          return;
        }
        const { raw, ...rest } = entry;
        console.log(JSON.stringify(rest, null, 2));
        console.log('--- raw ---');
        console.log(Buffer.from(raw).toString('utf8'));
      });
    });

  dataOptions(group.command('replay [ids...]'))
    .description('re-run dead letters through ingest (after a crosswalk or config fix); without ids, every open one')
    .addOption(new Option('--stage <stage>', 'only open ones of this stage').choices(STAGES))
    .action(async (ids: string[], options: CoreCommandOptions & { stage?: DeadLetterStage }) => {
      await withCore(options, async (core) => {
        let ok = 0;
        let failed = 0;
        const report = (outcome: { id: string; ok: boolean; code?: string; message?: string; accepted?: number }): void => {
          if (outcome.ok) ok += 1;
          else failed += 1;
          console.log(outcome.ok ? `✓ ${outcome.id} ingested (${outcome.accepted ?? 0} new)` : `✗ ${outcome.id} ${outcome.code}: ${outcome.message}`);
        };
        if (ids.length > 0) {
          for (const id of ids) report(await core.replayer.replay(id));
        } else {
          await core.replayer.replayOpen(options.stage === undefined ? {} : { stage: options.stage }, report);
        }
        console.log(`${ok} replayed, ${failed} still failing`);
        if (failed > 0) process.exitCode = 1;
      });
    });

  dataOptions(group.command('discard <id>'))
    .description('mark a dead letter as discarded (kept for the record, never replayed)')
    .action(async (id: string, options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        await core.stores.deadLetters.discard(id);
        console.log(`discarded ${id}`);
      });
    });
}
