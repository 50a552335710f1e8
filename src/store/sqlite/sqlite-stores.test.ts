import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { storeContract } from '../../../test/contract/store-contract.js';
import type { Stores } from '../../core/store.js';
import { openSqliteStores } from './index.js';
import { MIGRATIONS } from './migrations/index.js';

let dir: string | undefined;
const file = (): string => join(dir!, 'plantfabric.db');

storeContract('SQLite', {
  async open(): Promise<Stores> {
    dir = mkdtempSync(join(tmpdir(), 'pf-sqlite-'));
    return openSqliteStores({ file: file() });
  },
  async reopen(stores: Stores): Promise<Stores> {
    await stores.close();
    return openSqliteStores({ file: file() });
  },
  async cleanup(): Promise<void> {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
});

describe('SQLite migrations', () => {
  it('applies each migration once and records it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-migrate-'));
    try {
      const path = join(folder, 'db.sqlite');
      await openSqliteStores({ file: path }).close();
      await openSqliteStores({ file: path }).close();
      const db = new Database(path, { readonly: true });
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      db.close();
      assert.deepEqual(rows, MIGRATIONS.map((migration) => ({ version: migration.version, name: migration.name })));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a database written by a newer schema with PF_ERR_STORE_MIGRATION', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-migrate-'));
    try {
      const path = join(folder, 'db.sqlite');
      await openSqliteStores({ file: path }).close();
      const db = new Database(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
      db.close();
      assert.throws(() => openSqliteStores({ file: path }), { code: 'PF_ERR_STORE_MIGRATION' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration and names it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-migrate-'));
    try {
      const path = join(folder, 'db.sqlite');
      const broken = [...MIGRATIONS, { version: 2, name: 'broken', sql: 'CREATE TABLE ok_table (x); THIS IS NOT SQL;' }];
      assert.throws(() => openSqliteStores({ file: path, migrations: broken }), /migration 2 \(broken\) failed/);
      const db = new Database(path, { readonly: true });
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name = 'ok_table'`).all();
      db.close();
      assert.deepEqual(tables, [], 'the failed migration left nothing behind');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
