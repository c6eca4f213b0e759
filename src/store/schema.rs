//! Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
//! Never edit a shipped migration: append a new one.

/// Migration 2's tables: pre-aggregated counts the reports read (src/report/agg.rs fills them).
macro_rules! agg_tables_sql { () => { r#"
-- Which imports the aggregates below already count. An import is added once, after it
-- commits (report::sync_aggregates, also run by every report), in one set-based pass:
-- cheaper than a trigger per inserted row. Rows of removed imports are cleaned up lazily.
CREATE TABLE agg_imports (
    import_id INTEGER PRIMARY KEY
);

-- Counts per campaign (0 = none), UTC hour, channel, kind and class: day/week series.
-- Hours, not days, so any whole-hour zone (DST included) maps exactly onto local days;
-- reports count from `events` when a zone's midnight falls inside an hour (India, Nepal...).
CREATE TABLE agg_hour (
    campaign_id INTEGER NOT NULL,
    hour        INTEGER NOT NULL, -- floor(occurred_at / 3600); -1000000000 when the time is unknown
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    class       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, hour, channel, kind, class)
) WITHOUT ROWID;
-- The same over all campaigns, so the all-data series reads one row per hour and kind.
CREATE TABLE agg_hour_all (
    hour    INTEGER NOT NULL,
    channel TEXT NOT NULL,
    kind    TEXT NOT NULL,
    class   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (hour, channel, kind, class)
) WITHOUT ROWID;
-- Totals per campaign: the campaigns table without summing hours.
CREATE TABLE agg_total (
    campaign_id INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    class       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel, kind, class)
) WITHOUT ROWID;

-- Failures (bounce, deferred, complaint, unsubscribe) by one dimension at a time: reason,
-- recipient domain, provider, remote MTA, delay bucket; per campaign and hour, over all
-- campaigns by hour (date ranges) and over everything (the whole history).
CREATE TABLE agg_dim (
    campaign_id INTEGER NOT NULL,
    dim         TEXT NOT NULL,
    hour        INTEGER NOT NULL,
    value       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    class       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dim, hour, value, channel, kind, class)
) WITHOUT ROWID;
-- All campaigns by hour, for breakdowns over a date range.
CREATE TABLE agg_dim_hour_all (
    dim     TEXT NOT NULL,
    hour    INTEGER NOT NULL,
    value   TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind    TEXT NOT NULL,
    class   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (dim, hour, value, channel, kind, class)
) WITHOUT ROWID;
CREATE TABLE agg_dim_all (
    dim     TEXT NOT NULL,
    value   TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind    TEXT NOT NULL,
    class   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (dim, value, channel, kind, class)
) WITHOUT ROWID;

-- Recipients with at least one failure, per campaign and overall ("unique recipients affected").
CREATE TABLE agg_recipient (
    campaign_id  INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    recipient_id INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel, recipient_id)
) WITHOUT ROWID;
CREATE TABLE agg_recipient_all (
    channel      TEXT NOT NULL,
    recipient_id INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (channel, recipient_id)
) WITHOUT ROWID;
-- Failing recipients by hour, for "recipients affected" over a date range.
CREATE TABLE agg_recipient_hour (
    hour         INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    recipient_id INTEGER NOT NULL,
    campaign_id  INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (hour, channel, recipient_id, campaign_id)
) WITHOUT ROWID;
-- How many rows agg_recipient and agg_recipient_all hold per key, so "recipients affected" for every
-- campaign is a lookup, not a count over a million rows.
CREATE TABLE agg_recipient_count (
    campaign_id INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel)
) WITHOUT ROWID;
CREATE TABLE agg_recipient_all_count (
    channel TEXT PRIMARY KEY,
    n       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER agg_recipient_added AFTER INSERT ON agg_recipient BEGIN
    INSERT INTO agg_recipient_count(campaign_id, channel, n) VALUES (NEW.campaign_id, NEW.channel, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agg_recipient_removed AFTER DELETE ON agg_recipient BEGIN
    UPDATE agg_recipient_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND channel = OLD.channel;
    DELETE FROM agg_recipient_count WHERE n <= 0 AND campaign_id = OLD.campaign_id AND channel = OLD.channel;
END;
CREATE TRIGGER agg_recipient_all_added AFTER INSERT ON agg_recipient_all BEGIN
    INSERT INTO agg_recipient_all_count(channel, n) VALUES (NEW.channel, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agg_recipient_all_removed AFTER DELETE ON agg_recipient_all BEGIN
    UPDATE agg_recipient_all_count SET n = n - 1 WHERE channel = OLD.channel;
    DELETE FROM agg_recipient_all_count WHERE n <= 0 AND channel = OLD.channel;
END;
"# } }

/// The report tables of migration 5 that hold counts (emptied by `report::rebuild_aggregates`).
/// `agg_names` and `agg_cls` are dictionaries, kept: ids stay valid for every count.
pub const AGG_TABLES: &[&str] = &[
    "agg_imports",
    "agg_hour",
    "agg_hour_all",
    "agg_total",
    "agg_dim_day",
    "agg_dim_day_all",
    "agg_dim_all",
    "agg_dim_campaign",
    "agg_recipient_day",
    "agg_recipient_count",
];

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
    // 2: pre-aggregated counts for the dashboard (see the macro above). Until migration 4 this
    // also created per-row triggers on events and imports; migration 4 drops them, so they are
    // no longer written here (a database stopped between 2 and 4 gets them dropped by 4 anyway).
    agg_tables_sql!(),
    // 3: counters for the overview; quarter-hour and per-campaign aggregates (report speed).
    r#"
-- Small named counters. `recipients_deleted`: recipients are numbered by SQLite and never
-- deleted by Rebound, so their count is the highest id; a deletion (by hand, or by a future
-- feature) is recorded here, and Store::overview then counts the rows instead.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER recipients_deleted AFTER DELETE ON recipients BEGIN
    INSERT INTO counters(name, n) VALUES ('recipients_deleted', 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Counts per campaign (0 = none) and quarter hour: a zone whose midnight falls inside a UTC
-- hour (India +5:30, Nepal +5:45) splits that hour from these instead of reading events.
-- Keyed by time first: all campaigns of a quarter are next to each other (few rows each).
CREATE TABLE agg_quarter (
    quarter     INTEGER NOT NULL, -- floor(occurred_at / 900); events without a time are not here
    campaign_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    class       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (quarter, campaign_id, kind, class)
) WITHOUT ROWID;
-- Failures by one dimension per campaign over its whole history: a campaign's breakdowns
-- read these few rows instead of summing agg_dim's rows for every hour.
CREATE TABLE agg_dim_campaign (
    campaign_id INTEGER NOT NULL,
    dim         TEXT NOT NULL,
    value       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    class       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dim, value, channel, kind, class)
) WITHOUT ROWID;
-- Filled for what the aggregates already count, so an upgraded database stays exact.
INSERT INTO agg_quarter(campaign_id, quarter, kind, class, n)
    SELECT COALESCE(campaign_id, 0), (occurred_at - (((occurred_at % 900) + 900) % 900)) / 900, kind, class, COUNT(*)
    FROM events WHERE occurred_at IS NOT NULL AND import_id IN (SELECT import_id FROM agg_imports) GROUP BY 1, 2, 3, 4;
INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
    SELECT campaign_id, dim, value, channel, kind, class, SUM(n) FROM agg_dim GROUP BY 1, 2, 3, 4, 5, 6;
"#,
    // 4: the aggregates are kept by Rust alone. Events only ever leave with their import, and
    // `Store::remove_import` subtracts that import's counts first (report::forget_import); the
    // per-row triggers cost every hand edit a dozen statements and spelled each rule twice.
    // After editing events by hand, call `report::rebuild_aggregates`.
    r#"
DROP TRIGGER IF EXISTS agg_import_removed;
DROP TRIGGER IF EXISTS agg_events_delete;
DROP TRIGGER IF EXISTS agg_events_delete_failure;
DROP TRIGGER IF EXISTS agg_events_update;
DROP TRIGGER IF EXISTS agg_events_update_failure_old;
DROP TRIGGER IF EXISTS agg_events_update_failure_new;
DROP TRIGGER IF EXISTS agg3_import_removed;
DROP TRIGGER IF EXISTS agg3_events_delete;
DROP TRIGGER IF EXISTS agg3_events_update;
"#,
    // 5: smaller report tables, keyed by small integers. Breakdowns by UTC day instead of
    // hour; quarter-hour counts folded into the hourly rows (q1..q3); recipients affected kept
    // as per-day id lists (blobs) plus exact counts. Emptying agg_imports makes the next
    // sync_aggregates count every import again (src/report/agg.rs).
    r#"
DROP TABLE IF EXISTS agg_hour;
DROP TABLE IF EXISTS agg_hour_all;
DROP TABLE IF EXISTS agg_total;
DROP TABLE IF EXISTS agg_dim;
DROP TABLE IF EXISTS agg_dim_hour_all;
DROP TABLE IF EXISTS agg_dim_all;
DROP TABLE IF EXISTS agg_recipient;
DROP TABLE IF EXISTS agg_recipient_all;
DROP TABLE IF EXISTS agg_recipient_hour;
DROP TABLE IF EXISTS agg_recipient_count;
DROP TABLE IF EXISTS agg_recipient_all_count;
DROP TABLE IF EXISTS agg_quarter;
DROP TABLE IF EXISTS agg_dim_campaign;
DELETE FROM agg_imports;

-- Dictionaries: dimension values (reasons, domains, providers, MTAs, delay buckets) and
-- (channel, kind, class) triples, so the counting tables hold integers only.
CREATE TABLE agg_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE agg_cls (
    id      INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    kind    TEXT NOT NULL,
    class   TEXT NOT NULL,
    UNIQUE (channel, kind, class)
);

-- Events per campaign (0 = none), UTC hour and cls. q1, q2, q3: how many of the n fell in
-- the hour's first 15, 30, 45 minutes, so a zone whose midnight falls inside a UTC hour
-- (India +5:30, Nepal +5:45) splits that hour exactly without reading events.
CREATE TABLE agg_hour (
    campaign_id INTEGER NOT NULL,
    hour        INTEGER NOT NULL, -- floor(occurred_at / 3600); -1000000000 when the time is unknown
    cls         INTEGER NOT NULL,
    n INTEGER NOT NULL, q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, hour, cls)
) WITHOUT ROWID;
CREATE TABLE agg_hour_all (
    hour INTEGER NOT NULL,
    cls  INTEGER NOT NULL,
    n INTEGER NOT NULL, q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL,
    PRIMARY KEY (hour, cls)
) WITHOUT ROWID;
CREATE TABLE agg_total (
    campaign_id INTEGER NOT NULL,
    cls         INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, cls)
) WITHOUT ROWID;

-- Failures (bounce, deferred, complaint, unsubscribe) by one dimension at a time
-- (dim: 0 reason, 1 domain, 2 provider, 3 mta, 4 delay; value: agg_names.id), per UTC day
-- (floor(occurred_at / 86400); dated events only) for date ranges, and over the whole history.
-- A range's partial first and last UTC day (a zone's midnight is not UTC's) are counted from events.
CREATE TABLE agg_dim_day (
    campaign_id INTEGER NOT NULL,
    dim INTEGER NOT NULL, day INTEGER NOT NULL, value INTEGER NOT NULL, cls INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dim, day, value, cls)
) WITHOUT ROWID;
CREATE TABLE agg_dim_day_all (
    dim INTEGER NOT NULL, day INTEGER NOT NULL, value INTEGER NOT NULL, cls INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, day, value, cls)
) WITHOUT ROWID;
CREATE TABLE agg_dim_all (
    dim INTEGER NOT NULL, value INTEGER NOT NULL, cls INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, value, cls)
) WITHOUT ROWID;
CREATE TABLE agg_dim_campaign (
    campaign_id INTEGER NOT NULL,
    dim INTEGER NOT NULL, value INTEGER NOT NULL, cls INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dim, value, cls)
) WITHOUT ROWID;

-- Recipients with a failure, per UTC day (-1000000000: no time), campaign and channel: the
-- sorted recipient ids with their failure counts, delta-varint coded (src/report/recipients.rs).
-- Distinct recipients over a date range merge these lists; over the whole history they are
-- counted once per import in agg_recipient_count (campaign_id -1: all campaigns).
CREATE TABLE agg_recipient_day (
    day         INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    ids         BLOB NOT NULL,
    PRIMARY KEY (day, campaign_id, channel)
) WITHOUT ROWID;
CREATE TABLE agg_recipient_count (
    campaign_id INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel)
) WITHOUT ROWID;
"#,
    // 6: compact events (src/store/compact.rs): `event_rows` + the `events` view.
    super::compact::MIGRATION,
];
