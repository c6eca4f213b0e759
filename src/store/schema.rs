//! Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
//! Never edit a shipped migration: append a new one.

pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    file_path     TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    provider      TEXT,
    detect_reason TEXT,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    events_seen   INTEGER NOT NULL DEFAULT 0,
    events_added  INTEGER NOT NULL DEFAULT 0,
    problems      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_problems (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    locator   TEXT NOT NULL,
    message   TEXT NOT NULL
);
CREATE INDEX import_problems_by_import ON import_problems(import_id);

CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    name            TEXT,
    channel         TEXT,
    provider        TEXT,
    sent_count      INTEGER,
    delivered_count INTEGER,
    counts_source   TEXT
);

CREATE TABLE recipients (
    id      INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    domain  TEXT NOT NULL,
    channel TEXT NOT NULL
);
CREATE INDEX recipients_by_domain ON recipients(domain);

-- Repeated long strings (diagnostics, MTAs) stored once.
CREATE TABLE texts (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    fingerprint    TEXT NOT NULL UNIQUE,
    channel        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    recipient_id   INTEGER NOT NULL REFERENCES recipients(id),
    campaign_id    INTEGER REFERENCES campaigns(id),
    occurred_at    INTEGER,
    sent_at        INTEGER,
    status         TEXT,
    reply_code     INTEGER,
    diagnostic_id  INTEGER REFERENCES texts(id),
    remote_mta_id  INTEGER REFERENCES texts(id),
    provider       TEXT,
    provider_label TEXT,
    class          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    rule           TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    source_file    TEXT NOT NULL,
    source_locator TEXT NOT NULL,
    source_offset  INTEGER,
    original_json  TEXT
);
CREATE INDEX events_by_import ON events(import_id);
CREATE INDEX events_by_campaign_time ON events(campaign_id, occurred_at);
CREATE INDEX events_by_time ON events(occurred_at);
CREATE INDEX events_by_recipient ON events(recipient_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Column mappings the user confirmed for unknown CSV/JSON layouts, by header signature.
CREATE TABLE column_mappings (
    signature  TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
"#,
];
