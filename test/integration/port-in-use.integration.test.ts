/**
 * A port already taken is refused with a documented code and a message that says what to do, for the layer and for
 * the demo's broker — and nothing is left open.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startRuntime } from '../../src/runtime/create-runtime.js';

const configFile = fileURLToPath(new URL('../fixtures/plant.yaml', import.meta.url));

describe('a port already in use', () => {
  it('stops the start with PF_ERR_CONFIG_INVALID and a hint', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'pf-port-'));
    try {
      await assert.rejects(startRuntime({ configFile, dataDir: dir, port }), (error: unknown) => {
        const failure = error as { code?: string; message?: string };
        return failure.code === 'PF_ERR_CONFIG_INVALID' && /already in use.*--port/.test(failure.message ?? '');
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
