/**
 * The embedded backend: one SQLite file in WAL mode holding the log, the historian, dead letters, records, operations
 * (cases, timers, outbox) and the audit ledger.
 */
import type { Stores } from '../../core/store.js';
import { openDatabase, type OpenOptions } from './sqlite-database.js';
import { SqliteAuditLedger } from './sqlite-audit-ledger.js';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { SqliteHistorian } from './sqlite-historian.js';
import { SqliteOperationsStore } from './sqlite-operations-store.js';
import { SqliteRecordStore } from './sqlite-record-store.js';

export { openDatabase, type OpenOptions } from './sqlite-database.js';
export { SqliteForwardQueue, type ForwardQueueOptions } from './sqlite-forward-queue.js';
export { SqliteEventLog, SqliteHistorian, SqliteDeadLetterStore, SqliteRecordStore, SqliteOperationsStore, SqliteAuditLedger };

/**
 * Opens the stores on one SQLite file, migrating it first.
 * @throws PF_ERR_STORE_UNAVAILABLE, PF_ERR_STORE_MIGRATION
 */
export function openSqliteStores(options: OpenOptions & { now?: () => number }): Stores {
  const db = openDatabase(options);
  let open = true;
  const isOpen = (): boolean => open;
  const records = new SqliteRecordStore(db, isOpen, options.now);
  const audit = new SqliteAuditLedger(db, isOpen);
  return {
    events: new SqliteEventLog(db, isOpen),
    historian: new SqliteHistorian(db, isOpen),
    deadLetters: new SqliteDeadLetterStore(db, isOpen),
    records,
    checkpoints: records,
    operations: new SqliteOperationsStore(db, isOpen, audit, options.now),
    audit,
    async close() {
      if (!open) return;
      open = false;
      // Fold the WAL back into the main file so a copied .db is complete on its own (a reader leaves it to the writer).
      if (options.readonly !== true) db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
