/**
 * Runs the CLI from the TypeScript sources (tests, development): `node --import tsx src/cli/run.ts <command>`.
 * The installed `plantfabric` binary runs the compiled equivalent, bin/plantfabric.js.
 */
import { main } from './main.js';

main(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
