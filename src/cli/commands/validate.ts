/**
 * `plantfabric validate [file]`: every problem in a plant file, with line, path and allowed values; exit 1 if any.
 */
import type { Command } from 'commander';
import { checkPlantConfigFile, formatIssue } from '../../runtime/plant-config-file.js';

export function registerValidate(program: Command): void {
  program
    .command('validate [file]')
    .description('check a plant configuration file and list every problem; exits 1 when there is any')
    .option('--json', 'print the problems as JSON')
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      const path = file ?? 'plant.yaml';
      const result = await checkPlantConfigFile(path);
      if (options.json === true) {
        console.log(JSON.stringify(result.ok ? { ok: true, file: path } : { ok: false, file: path, issues: result.issues }, null, 2));
      } else if (result.ok) {
        const { model, config } = result;
        console.log(
          `✓ ${path} is valid: ${model.nodesAt('equipment').length} equipment in ${model.nodesAt('area').length} areas, ` +
            `${(config.users ?? []).length} users, ${(config.crosswalk ?? []).length} crosswalk entries`,
        );
      } else {
        for (const issue of result.issues) console.log(formatIssue(path, issue));
        console.log(`✗ ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}`);
      }
      if (!result.ok) process.exitCode = 1;
    });
}
