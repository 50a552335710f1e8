/**
 * Opens the SQLite file with the pragmas the stores rely on and applies pending migrations in one transaction each.
 */
import Database from 'better-sqlite3';
import { PlantfabricError, UnavailableError } from '../../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  file: string;
  /** full survives power loss; normal survives a process crash only (ADR 0003). Default full. */
  synchronous?: 'full' | 'normal';
  migrations?: readonly Migration[];
  /** Open an existing database for reading only (replays, reports): no migration, no write. */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) and migrates the database.
 * @throws PF_ERR_STORE_UNAVAILABLE when the file cannot be opened; PF_ERR_STORE_MIGRATION for a newer or failed schema.
 */
export function openDatabase(options: OpenOptions): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = options.readonly === true ? new Database(options.file, { readonly: true, fileMustExist: true }) : new Database(options.file);
  } catch (error) {
    throw new UnavailableError('PF_ERR_STORE_UNAVAILABLE', `cannot open ${options.file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    if (options.readonly === true) {
      db.pragma('busy_timeout = 5000');
      checkSchemaVersion(db, options.migrations ?? MIGRATIONS);
      return db;
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    // Another process (the CLI while the server runs) may hold the write lock briefly; wait rather than fail.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A read-only open cannot migrate: the file must already have exactly the schema this build knows. */
function checkSchemaVersion(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  const version = (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  if (version !== known) {
    throw new PlantfabricError('PF_ERR_STORE_MIGRATION', `the database has schema version ${version}, this Plantfabric reads ${known}; open it once with plantfabric start to migrate, or use the version that wrote it`);
  }
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((row) => row.version));
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new PlantfabricError(
      'PF_ERR_STORE_MIGRATION',
      `the database has schema version ${newest} but this Plantfabric knows only up to ${known}; run the version that wrote it`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
      })();
    } catch (error) {
      throw new PlantfabricError('PF_ERR_STORE_MIGRATION', `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Wraps driver errors (busy, I/O, full disk, closed) as PF_ERR_STORE_UNAVAILABLE with the cause kept. */
export function storeError(action: string, error: unknown): PlantfabricError {
  if (error instanceof PlantfabricError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnavailableError('PF_ERR_STORE_UNAVAILABLE', `${action} failed: ${message}`, { cause: error });
}

/** Runs a synchronous driver call, converting its errors; the stores' async methods all go through this. */
export function guard<T>(action: string, isOpen: () => boolean, work: () => T): T {
  if (!isOpen()) throw new UnavailableError('PF_ERR_STORE_UNAVAILABLE', `${action} failed: the store is closed`);
  try {
    return work();
  } catch (error) {
    throw storeError(action, error);
  }
}
