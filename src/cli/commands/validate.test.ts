import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), ...args], { cwd: root });

describe('plantfabric validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-validate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the example plant with exit 0', async () => {
    const { stdout } = await cli('validate', 'examples/plant.yaml');
    assert.match(stdout, /✓ examples\/plant\.yaml is valid: 13 equipment in 3 areas/);
  });

  it('lists every problem with line, path and allowed values, and exits 1', async () => {
    const broken = readFileSync(join(root, 'examples/plant.yaml'), 'utf8').replace('role: planner', 'role: plannr').replace('unknownIds: {', 'unknownIdz: {');
    const file = join(dir, 'plant.yaml');
    writeFileSync(file, broken);
    const failure = await cli('validate', file).then(
      () => assert.fail('validate should exit non-zero'),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.stdout, /plant\.yaml:\d+:\d+ {2}\/users\/\d+\/grants\/0\/role {2}"plannr" is not allowed {2}\(allowed: operator, supervisor, quality, maintenance, planner, engineer, admin\)/);
    assert.match(failure.stdout, /\/ingest\/unknownIdz {2}unknown key 'unknownIdz'/);
    assert.match(failure.stdout, /✗ 2 problems/);
  });

  it('prints JSON with --json', async () => {
    const { stdout } = await cli('validate', 'examples/plant.yaml', '--json');
    assert.deepEqual(JSON.parse(stdout), { ok: true, file: 'examples/plant.yaml' });
  });
});
