-- 0003: what the Policy Studio keeps beside versions: a policy's descriptive metadata, and
-- experiments that map segments of contacts to Final versions.
CREATE TABLE policy_info (
    name        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    country     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE experiments (
    name       TEXT PRIMARY KEY,
    policy     TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    arms       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- At most one enabled experiment per policy, whatever the code above it does.
CREATE UNIQUE INDEX experiments_one_enabled ON experiments (policy) WHERE enabled;
