/**
 * The audit ledger end to end: logins (good and bad), a crosswalk change and the config's first load are recorded;
 * `plantfabric audit verify` passes on the untouched ledger and names the first altered entry after a row is edited
 * directly in the database; `audit export` writes what an auditor reads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createCore, DATABASE_FILE } from '../../src/runtime/create-runtime.js';
import { cli, PROJECT_ROOT } from '../support/cli.js';

const configFile = join(PROJECT_ROOT, 'test/fixtures/plant.yaml');

describe('audit ledger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-audit-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const data = ['-c', configFile, '--data', dataDir];

  it('records changes, verifies untouched, and names the first altered entry', async () => {
    const core = await createCore({ configFile, dataDir });
    await core.auth.login('ada', 'demo-ada');
    await assert.rejects(core.auth.login('ada', 'wrong'), { code: 'PF_ERR_AUTH_FAILED' });
    await core.crosswalk.add({ kind: 'equipment', system: 'plc', externalId: 'L1.CNC', canonical: 'acme/plant-1/assembly/line-1/cnc-1' }, 'ada');
    await core.close();

    const exported = await cli(['audit', 'export', ...data]);
    assert.equal(exported.code, 0, exported.stderr);
    const entries = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; actor: string; action: string });
    assert.deepEqual(entries.map((entry) => entry.action), ['config.loaded', 'auth.login.succeeded', 'auth.login.failed', 'crosswalk.mapping.added']);
    assert.equal(entries[3]!.actor, 'ada');

    const intact = await cli(['audit', 'verify', ...data]);
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, /intact: 4 entries/);

    const csv = await cli(['audit', 'export', '--format', 'csv', '--action', 'auth', ...data]);
    assert.deepEqual(csv.stdout.trim().split('\r\n').map((line) => line.split(',')[3]), ['action', 'auth.login.succeeded', 'auth.login.failed']);

    // Someone with database access rewrites who did it.
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.prepare("UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 3").run();
    db.close();
    const broken = await cli(['audit', 'verify', ...data]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /BROKEN at entry 3/);
    assert.match(broken.stderr, /altered/);
  });
});
