import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { DATABASE_FILE } from '../../src/runtime/create-runtime.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

describe('a writer killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-crash-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no event it had acknowledged', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'crash-writer.ts'), join(fixtures, 'plant.yaml'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledgedBatches = 0;
    const lines = createInterface({ input: child.stdout });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of lines) {
      if (!line.startsWith('ack ')) continue;
      acknowledgedBatches = Number(line.slice(4)) + 1;
      // Kill while writes are in full flow, not at a quiet moment.
      if (acknowledgedBatches === 50) child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acknowledgedBatches >= 50, `the writer acknowledged ${acknowledgedBatches} batches before the kill`);

    const stores = openSqliteStores({ file: join(dataDir, DATABASE_FILE) });
    try {
      const ids = Array.from({ length: acknowledgedBatches }, (_, batch) => Array.from({ length: 200 }, (_, index) => `crash-${batch}-${index}`)).flat();
      const present = await stores.events.existingIds(ids);
      const missing = ids.filter((id) => !present.has(id));
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged events are missing`);
      const head = await stores.events.head();
      assert.ok(head >= ids.length);
      const all = await stores.events.readFrom(0, head);
      all.forEach((event, index) => assert.equal(event.position, index + 1, 'positions stay gap-free after a crash'));
    } finally {
      await stores.close();
    }
  });
});
