/**
 * `plantfabric crosswalk add|list`: teach the identifier crosswalk an id while the plant runs, without editing
 * plant.yaml; then `deadletters replay` ingests what was rejected for it.
 */
import { Option, type Command } from 'commander';
import { ENTITY_KINDS, type EntityKind } from '../../core/plant-config.js';
import { parseTime } from '../options.js';
import { cliActor, dataOptions, withCore, type CoreCommandOptions } from '../with-core.js';

export function registerCrosswalk(program: Command): void {
  const group = program.command('crosswalk').description('the identifier crosswalk: which external id means which canonical id');

  dataOptions(group.command('add'))
    .description('map a system\'s id to a canonical id (kept in the data folder)')
    .addOption(new Option('--kind <kind>', 'entity kind').choices(ENTITY_KINDS).default('equipment'))
    .requiredOption('--system <system>', 'the system using the id: erp, mes, plc, cmms, ...')
    .requiredOption('--id <externalId>', 'the id as that system sends it')
    .requiredOption('--canonical <id>', 'the canonical id (for equipment, its path id)')
    .option('--from <time>', 'valid from (ISO 8601)', parseTime)
    .option('--to <time>', 'valid until, exclusive (ISO 8601)', parseTime)
    .action(async (options: CoreCommandOptions & { kind: EntityKind; system: string; id: string; canonical: string; from?: number; to?: number }) => {
      await withCore(options, async (core) => {
        await core.crosswalk.add({
          kind: options.kind,
          system: options.system,
          externalId: options.id,
          canonical: options.canonical,
          provenance: 'cli',
          ...(options.from === undefined ? {} : { validFrom: options.from }),
          ...(options.to === undefined ? {} : { validTo: options.to }),
        }, cliActor());
        console.log(`${options.kind} ${options.system}:${options.id} → ${options.canonical}`);
      });
    });

  dataOptions(group.command('list'))
    .description('every mapping, from plant.yaml and learnt')
    .action(async (options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        for (const mapping of core.crosswalk.crosswalk.mappings()) {
          const from = mapping.validFrom === undefined ? '' : ` from ${new Date(mapping.validFrom).toISOString()}`;
          const to = mapping.validTo === undefined ? '' : ` to ${new Date(mapping.validTo).toISOString()}`;
          console.log(`${mapping.kind.padEnd(10)} ${mapping.system}:${mapping.externalId} → ${mapping.canonical}${from}${to}  (${mapping.provenance ?? ''})`);
        }
      });
    });
}
