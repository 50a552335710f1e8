/**
 * The `plantfabric` command line. Each command lives in ./commands/<name>.ts and registers itself here.
 */
import { Command } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerBrowse } from './commands/browse.js';
import { registerCrosswalk } from './commands/crosswalk.js';
import { registerDeadLetters } from './commands/deadletters.js';
import { registerDemo } from './commands/demo.js';
import { registerReplay } from './commands/replay.js';
import { registerSim } from './commands/sim.js';
import { registerStart } from './commands/start.js';
import { registerUsers } from './commands/users.js';
import { registerValidate } from './commands/validate.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('plantfabric')
    .description('One shared operating layer above a factory\'s existing systems.')
    .showHelpAfterError()
    .exitOverride((error) => {
      // commander exits on --help and on usage errors; let it, with its own exit code.
      process.exit(error.exitCode);
    });
  registerStart(program);
  registerDemo(program);
  registerSim(program);
  registerReplay(program);
  registerValidate(program);
  registerDeadLetters(program);
  registerCrosswalk(program);
  registerUsers(program);
  registerBrowse(program);
  registerAudit(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
