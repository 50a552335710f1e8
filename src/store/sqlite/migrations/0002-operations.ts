/**
 * Operations: cases and their history, durable timers, the notification outbox and the hash-chained audit ledger.
 * The ledger keeps every field in its own column and no derived copy, so an edit anywhere in a row changes the entry
 * that verification rebuilds from it.
 */
export default {
  version: 2,
  name: 'operations',
  sql: `
CREATE TABLE cases (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  area            TEXT,
  owner           TEXT,
  correlation_key TEXT,
  opened_at       INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  body            TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX cases_status ON cases (status, opened_at);
CREATE INDEX cases_owner ON cases (owner, status);
CREATE INDEX cases_correlation ON cases (correlation_key, status) WHERE correlation_key IS NOT NULL;
CREATE INDEX cases_opened ON cases (opened_at);

CREATE TABLE case_history (
  seq     INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  data    TEXT
);
CREATE INDEX case_history_case ON case_history (case_id, seq);

CREATE TABLE timers (
  id      TEXT PRIMARY KEY,
  due_at  INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  ref     TEXT NOT NULL,
  payload TEXT
) WITHOUT ROWID;
CREATE INDEX timers_due ON timers (due_at);
CREATE INDEX timers_ref ON timers (ref);

CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  channel         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  payload         TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE audit_ledger (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  subject_kind TEXT,
  subject_id   TEXT,
  reason       TEXT,
  data         TEXT,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_ledger_at ON audit_ledger (at);
CREATE INDEX audit_ledger_subject ON audit_ledger (subject_kind, subject_id);
CREATE INDEX audit_ledger_actor ON audit_ledger (actor, seq);
`,
};
