-- The local stack's tables. Times are Unix milliseconds; ids are a prefix and seq.
CREATE TABLE IF NOT EXISTS cases (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id   TEXT NOT NULL UNIQUE,
  subject       TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  channel       TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  customer_id   TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'new',
  intent        TEXT NOT NULL DEFAULT '',
  confidence    REAL NOT NULL DEFAULT 0,
  category      TEXT NOT NULL DEFAULT '',
  queue         TEXT NOT NULL DEFAULT '',
  agent         TEXT NOT NULL DEFAULT '',
  created       INTEGER NOT NULL,
  updated       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS case_fields (
  case_seq INTEGER NOT NULL REFERENCES cases(seq),
  name     TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (case_seq, name)
);
CREATE TABLE IF NOT EXISTS notes (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  case_seq        INTEGER NOT NULL REFERENCES cases(seq),
  body            TEXT NOT NULL,
  public          INTEGER NOT NULL,
  idempotency_key TEXT UNIQUE,
  created         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  case_seq        INTEGER NOT NULL REFERENCES cases(seq),
  queue           TEXT NOT NULL,
  agent           TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,
  created         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  email      TEXT NOT NULL,
  phone      TEXT NOT NULL,
  street     TEXT NOT NULL,
  city       TEXT NOT NULL,
  postcode   TEXT NOT NULL,
  country    TEXT NOT NULL,
  attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS change_requests (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id     TEXT NOT NULL REFERENCES customers(id),
  kind            TEXT NOT NULL,
  fields          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',
  case_id         TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT UNIQUE,
  created         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS change_requests_customer ON change_requests(customer_id, status);
CREATE TABLE IF NOT EXISTS outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient       TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'queued',
  idempotency_key TEXT UNIQUE,
  created         INTEGER NOT NULL
);
-- Back-office data the example policies hydrate through the Hydrator: rides and driver
-- background checks.
CREATE TABLE IF NOT EXISTS trips (
  id                TEXT PRIMARY KEY,
  customer_id       TEXT NOT NULL,
  booked_at         INTEGER NOT NULL,
  minutes_to_cancel INTEGER NOT NULL,
  cancellation_fee  REAL NOT NULL,
  driver_late       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS trips_customer ON trips(customer_id, booked_at);
CREATE TABLE IF NOT EXISTS background_checks (
  application_id TEXT PRIMARY KEY,
  email          TEXT NOT NULL,
  status         TEXT NOT NULL,
  submitted_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS background_checks_email ON background_checks(email);
