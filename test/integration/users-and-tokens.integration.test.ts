/**
 * Accounts from the CLI: a user added with `users add` (password on standard input) can log in, and a token made
 * with `tokens create` authenticates until it is revoked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiContextOf, createCore } from '../../src/runtime/create-runtime.js';
import { buildApp } from '../../src/api/app.js';
import { cli } from '../support/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(root, 'test/fixtures/plant.yaml');


describe('users and tokens from the CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-users-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const data = ['-c', configFile, '--data', dataDir];

  it('adds a user who can log in, and issues and revokes a token', async () => {
    const added = await cli(['users', 'add', 'mike', '--name', 'Mike Novak', '--grant', 'maintenance=assembly', ...data], 'spindle-bearing-42\n');
    assert.equal(added.code, 0, added.stderr);
    const short = await cli(['users', 'add', 'tim', '--name', 'Tim', '--grant', 'operator=assembly', ...data], 'short');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 8 characters/);
    const badGrant = await cli(['users', 'add', 'tim', '--name', 'Tim', '--grant', 'janitor=assembly', ...data], 'long-enough-pw');
    assert.notEqual(badGrant.code, 0);
    assert.match(badGrant.stderr, /role one of operator/);

    const created = await cli(['tokens', 'create', '--user', 'mike', '--name', 'cmms-bridge', ...data]);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^pft_/);

    const core = await createCore({ configFile, dataDir });
    const app = await buildApp(apiContextOf(core));
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mike', password: 'spindle-bearing-42' } });
      assert.equal(login.statusCode, 200, login.body);
      assert.deepEqual(login.json().user.grants, [{ role: 'maintenance', areas: ['assembly'] }]);
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).json().id, 'mike');
      const tokens = await core.auth.listTokens();
      assert.deepEqual(tokens.map((entry) => [entry.userId, entry.name]), [['mike', 'cmms-bridge']]);
      await core.auth.revokeToken(tokens[0]!.id);
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    } finally {
      await app.close();
      await core.close();
    }
  });

  it('hashes a password for plant.yaml', async () => {
    const hashed = await cli(['users', 'hash-password'], 'a-long-passphrase');
    assert.equal(hashed.code, 0, hashed.stderr);
    assert.match(hashed.stdout.trim(), /^scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });
});
