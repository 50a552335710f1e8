import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../test/support/brokers.js';
import { startOpcuaServer } from '../../../test/support/opcua-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('plantfabric browse', () => {
  it('lists the variables of a server with their node ids and data types', async () => {
    const server = await startOpcuaServer({ port: await freePort(), variables: 3 });
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), 'browse', server.endpoint, '--json'], { cwd: root });
      // node-opcua may log a warning line of its own around the JSON; the document is the block from '[' to ']'.
      const lines = stdout.split('\n');
      const entries = JSON.parse(lines.slice(lines.indexOf('['), lines.lastIndexOf(']') + 1).join('\n')) as Array<{ nodeId: string; browseName: string; nodeClass: string; dataType?: string }>;
      const plant = entries.find((entry) => entry.browseName.endsWith('Plant'));
      assert.equal(plant?.nodeClass, 'Object');
      for (const index of [0, 1, 2]) {
        const variable = entries.find((entry) => entry.nodeId === `ns=1;s=V${index}`);
        assert.equal(variable?.nodeClass, 'Variable');
        assert.equal(variable?.dataType, 'Double');
      }
    } finally {
      await server.close();
    }
  });
});
