/**
 * Every migration, in order. A new schema change is a new numbered file added here; applied files never change.
 */
import initial from './0001-initial.js';
import operations from './0002-operations.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [initial, operations];
