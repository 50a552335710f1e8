/**
 * `plantfabric audit verify|export`: prove the ledger untouched, and hand it to an auditor.
 */
import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { AUDIT_EXPORT_FORMATS, auditCsvHeader, auditEntryToCsv, auditEntryToJsonLine, type AuditExportFormat } from '../../audit/export-ledger.js';
import { verifyLedger } from '../../audit/verify-ledger.js';
import type { AuditQuery } from '../../core/operations-store.js';
import { parseTime } from '../options.js';
import { dataOptions, withCore, type CoreCommandOptions } from '../with-core.js';

const PAGE = 5_000;

export function registerAudit(program: Command): void {
  const group = program.command('audit').description('the hash-chained audit ledger');

  dataOptions(group.command('verify'))
    .description('walk the hash chain from the first entry; exit 1 and name the first broken link if any entry was altered, removed or inserted')
    .action(async (options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        const result = await verifyLedger(core.stores.audit, (checked) => process.stderr.write(`  ${checked} entries checked\r`));
        if (result.ok) {
          console.log(`audit ledger intact: ${result.entries} entries, head ${result.head.seq} ${result.head.hash}`);
          return;
        }
        console.error(`audit ledger BROKEN at entry ${result.brokenAt}: ${result.reason}`);
        console.error(`${result.entries - 1} entries before it verified; everything from entry ${result.brokenAt} on is unproven.`);
        process.exitCode = 1;
      });
    });

  dataOptions(group.command('export'))
    .description('write ledger entries as JSON lines (re-verifiable) or CSV')
    .addOption(new Option('--format <format>', 'output format').choices(AUDIT_EXPORT_FORMATS).default('jsonl'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--from <time>', 'entries at or after (ISO 8601)', parseTime)
    .option('--to <time>', 'entries before (ISO 8601)', parseTime)
    .option('--actor <id>', 'only this actor')
    .option('--action <action>', 'only this action or those under it, e.g. case')
    .action(async (options: CoreCommandOptions & { format: AuditExportFormat; out?: string; from?: number; to?: number; actor?: string; action?: string }) => {
      await withCore(options, async (core) => {
        const out = options.out === undefined ? process.stdout : createWriteStream(options.out);
        const filter: AuditQuery = {
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.actor === undefined ? {} : { actor: options.actor }),
          ...(options.action === undefined ? {} : { action: options.action }),
        };
        if (options.format === 'csv') out.write(auditCsvHeader());
        let afterSeq = 0;
        let written = 0;
        for (;;) {
          const page = await core.stores.audit.query({ ...filter, afterSeq, limit: PAGE });
          for (const entry of page) out.write(options.format === 'csv' ? auditEntryToCsv(entry) : auditEntryToJsonLine(entry));
          written += page.length;
          if (page.length < PAGE) break;
          afterSeq = page[page.length - 1]!.seq;
        }
        if (out !== process.stdout) {
          await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
          console.error(`${written} entries written to ${options.out}`);
        }
      });
    });
}
