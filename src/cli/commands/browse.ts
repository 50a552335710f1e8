/**
 * `plantfabric browse opc.tcp://…`: the address space below Objects, with node ids ready to paste into bindings.
 */
import type { Command } from 'commander';
import { browseOpcua } from '../../connectors/opcua/browse.js';
import { parsePositiveInt } from '../options.js';

export function registerBrowse(program: Command): void {
  program
    .command('browse <endpoint>')
    .description('list an OPC UA server\'s address space (anonymous, security None) to help write bindings')
    .option('--depth <n>', 'levels below Objects', parsePositiveInt, 4)
    .option('--json', 'print JSON')
    .action(async (endpoint: string, options: { depth: number; json?: boolean }) => {
      if (!endpoint.startsWith('opc.tcp://')) throw new Error(`'${endpoint}' is not an opc.tcp:// endpoint`);
      const entries = await browseOpcua(endpoint, { depth: options.depth });
      if (options.json === true) {
        console.log(JSON.stringify(entries, null, 2));
        return;
      }
      for (const entry of entries) {
        const type = entry.dataType === undefined ? '' : `  ${entry.dataType}`;
        console.log(`${'  '.repeat(entry.depth - 1)}${entry.browseName}  [${entry.nodeClass}]  ${entry.nodeId}${type}`);
      }
      console.log(`${entries.length} nodes`);
    });
}
