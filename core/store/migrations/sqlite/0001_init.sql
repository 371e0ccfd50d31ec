-- 0001: every table of the first schema. Times are BIGINT microseconds since the Unix epoch in
-- both dialects, so that the same Go code reads and compares them.

CREATE TABLE policies (
    name         TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE policy_versions (
    policy           TEXT NOT NULL REFERENCES policies (name),
    version          INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('draft', 'shadow', 'final', 'live')),
    body             TEXT NOT NULL,
    author           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    state_changed_at BIGINT NOT NULL,
    PRIMARY KEY (policy, version)
);

-- One Live version per policy, whatever the code above it does.
CREATE UNIQUE INDEX policy_versions_one_live ON policy_versions (policy) WHERE state = 'live';

CREATE TABLE policy_tests (
    policy     TEXT NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (policy, name)
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

CREATE TABLE runs (
    run_id     TEXT PRIMARY KEY,
    policy     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    path       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    handed_off BOOLEAN NOT NULL,
    csat       INTEGER,
    latency_us BIGINT NOT NULL,
    shadow     BOOLEAN NOT NULL,
    experiment TEXT NOT NULL,
    started_at BIGINT NOT NULL
);
CREATE INDEX runs_policy ON runs (policy, version, started_at);

-- One row per node a run visited, so hit counts are a GROUP BY rather than a parse of paths.
CREATE TABLE run_nodes (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    node   TEXT NOT NULL,
    PRIMARY KEY (run_id, node)
);
CREATE INDEX run_nodes_node ON run_nodes (node);

CREATE TABLE channel_cursors (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE processed_ids (
    key TEXT PRIMARY KEY,
    at  BIGINT NOT NULL
);
CREATE INDEX processed_ids_at ON processed_ids (at);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    hash       BLOB NOT NULL UNIQUE,
    owner      TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
