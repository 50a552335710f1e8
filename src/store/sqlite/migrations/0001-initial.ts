/**
 * The first schema: event log, historian, dead letters, records and checkpoints.
 * Times are epoch-ms integers so range queries use plain integer indexes.
 */
export default {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE events (
  position    INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  equipment   TEXT,
  work_order  TEXT,
  lot         TEXT,
  body        TEXT NOT NULL
);
CREATE INDEX events_type_time ON events (type, occurred_at);
CREATE INDEX events_equipment_time ON events (equipment, occurred_at);
CREATE INDEX events_work_order ON events (work_order) WHERE work_order IS NOT NULL;
CREATE INDEX events_lot ON events (lot) WHERE lot IS NOT NULL;

CREATE TABLE series (
  id        INTEGER PRIMARY KEY,
  equipment TEXT NOT NULL,
  signal    TEXT NOT NULL,
  UNIQUE (equipment, signal)
);
CREATE TABLE samples (
  series_id INTEGER NOT NULL REFERENCES series (id),
  ts        INTEGER NOT NULL,
  value     REAL NOT NULL,
  quality   INTEGER NOT NULL,
  PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;

CREATE TABLE dead_letters (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  stage           TEXT NOT NULL,
  code            TEXT NOT NULL,
  message         TEXT NOT NULL,
  raw             BLOB NOT NULL,
  content_type    TEXT NOT NULL,
  source          TEXT NOT NULL,
  engine_id       TEXT,
  event_id        TEXT,
  details         TEXT,
  status          TEXT NOT NULL DEFAULT 'open',
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER,
  resolved_at     INTEGER
);
CREATE INDEX dead_letters_status ON dead_letters (status, seq);

CREATE TABLE records (
  kind       TEXT NOT NULL,
  id         TEXT NOT NULL,
  body       TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
  consumer   TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
};
