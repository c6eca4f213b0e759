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
/// Triggers keep the aggregates exact when a counted event is deleted or changed.
macro_rules! agg_triggers_sql { () => { r#"
-- Removing a counted import subtracts its counts in one set-based pass, then un-marks it,
-- so the cascade that deletes its events skips the per-row triggers below.
CREATE TRIGGER agg_import_removed BEFORE DELETE ON imports WHEN OLD.id IN (SELECT import_id FROM agg_imports) BEGIN
    INSERT INTO agg_hour(campaign_id, hour, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_hour_all(hour, channel, kind, class, n)
        SELECT CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id GROUP BY 1, 2, 3, 4
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_total(campaign_id, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id GROUP BY 1, 2, 3, 4
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'reason', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, e.reason, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n)
        SELECT 'reason', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, e.reason, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n)
        SELECT 'reason', e.reason, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'domain', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(r.domain, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN recipients r ON r.id = e.recipient_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n)
        SELECT 'domain', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(r.domain, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN recipients r ON r.id = e.recipient_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n)
        SELECT 'domain', COALESCE(r.domain, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN recipients r ON r.id = e.recipient_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'provider', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(e.provider, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n)
        SELECT 'provider', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(e.provider, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n)
        SELECT 'provider', COALESCE(e.provider, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'mta', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(t.text, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN texts t ON t.id = e.remote_mta_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n)
        SELECT 'mta', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(t.text, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN texts t ON t.id = e.remote_mta_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n)
        SELECT 'mta', COALESCE(t.text, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e LEFT JOIN texts t ON t.id = e.remote_mta_id
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'delay', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, CASE WHEN e.sent_at IS NULL OR e.occurred_at IS NULL OR e.occurred_at - e.sent_at < 0 THEN 'unknown' WHEN e.occurred_at - e.sent_at < 60 THEN 'lt_1m' WHEN e.occurred_at - e.sent_at < 3600 THEN 'lt_1h' WHEN e.occurred_at - e.sent_at < 21600 THEN 'lt_6h' WHEN e.occurred_at - e.sent_at < 86400 THEN 'lt_1d' WHEN e.occurred_at - e.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n)
        SELECT 'delay', CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, CASE WHEN e.sent_at IS NULL OR e.occurred_at IS NULL OR e.occurred_at - e.sent_at < 0 THEN 'unknown' WHEN e.occurred_at - e.sent_at < 60 THEN 'lt_1m' WHEN e.occurred_at - e.sent_at < 3600 THEN 'lt_1h' WHEN e.occurred_at - e.sent_at < 21600 THEN 'lt_6h' WHEN e.occurred_at - e.sent_at < 86400 THEN 'lt_1d' WHEN e.occurred_at - e.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n)
        SELECT 'delay', CASE WHEN e.sent_at IS NULL OR e.occurred_at IS NULL OR e.occurred_at - e.sent_at < 0 THEN 'unknown' WHEN e.occurred_at - e.sent_at < 60 THEN 'lt_1m' WHEN e.occurred_at - e.sent_at < 3600 THEN 'lt_1h' WHEN e.occurred_at - e.sent_at < 21600 THEN 'lt_6h' WHEN e.occurred_at - e.sent_at < 86400 THEN 'lt_1d' WHEN e.occurred_at - e.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, e.channel, e.kind, e.class, -COUNT(*) FROM events e 
        WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_recipient(campaign_id, channel, recipient_id, n)
        SELECT COALESCE(e.campaign_id, 0), e.channel, e.recipient_id, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_recipient_all(channel, recipient_id, n)
        SELECT e.channel, e.recipient_id, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_recipient_hour(hour, channel, recipient_id, campaign_id, n)
        SELECT CASE WHEN e.occurred_at IS NULL THEN -1000000000 ELSE (e.occurred_at - (((e.occurred_at % 3600) + 3600) % 3600)) / 3600 END, e.channel, e.recipient_id, COALESCE(e.campaign_id, 0), -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    DELETE FROM agg_hour WHERE n <= 0;
    DELETE FROM agg_hour_all WHERE n <= 0;
    DELETE FROM agg_total WHERE n <= 0;
    DELETE FROM agg_dim WHERE n <= 0;
    DELETE FROM agg_dim_hour_all WHERE n <= 0;
    DELETE FROM agg_dim_all WHERE n <= 0;
    DELETE FROM agg_recipient WHERE n <= 0;
    DELETE FROM agg_recipient_all WHERE n <= 0;
    DELETE FROM agg_recipient_hour WHERE n <= 0;
    DELETE FROM agg_imports WHERE import_id = OLD.id;
END;
-- Deleting or changing a single event that the aggregates already count moves it out of
-- (and back into) its aggregate rows.
CREATE TRIGGER agg_events_delete AFTER DELETE ON events WHEN OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_hour SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_hour WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_hour_all SET n = n - 1 WHERE hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_hour_all WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_total SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_total WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
END;
CREATE TRIGGER agg_events_delete_failure AFTER DELETE ON events
    WHEN OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_recipient SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
    DELETE FROM agg_recipient WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
    UPDATE agg_recipient_hour SET n = n - 1 WHERE hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND recipient_id = OLD.recipient_id AND campaign_id = COALESCE(OLD.campaign_id, 0);
    DELETE FROM agg_recipient_hour WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND recipient_id = OLD.recipient_id AND campaign_id = COALESCE(OLD.campaign_id, 0);
    UPDATE agg_recipient_all SET n = n - 1 WHERE channel = OLD.channel AND recipient_id = OLD.recipient_id;
    DELETE FROM agg_recipient_all WHERE n <= 0 AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
END;
CREATE TRIGGER agg_events_update AFTER UPDATE OF campaign_id, occurred_at, sent_at, channel, kind, class, reason, provider, remote_mta_id, recipient_id ON events WHEN OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_hour SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_hour WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_hour_all SET n = n - 1 WHERE hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_hour_all WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_total SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_total WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    INSERT INTO agg_hour(campaign_id, hour, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_hour_all(hour, channel, kind, class, n) VALUES (CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_total(campaign_id, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agg_events_update_failure_old AFTER UPDATE OF campaign_id, occurred_at, sent_at, channel, kind, class, reason, provider, remote_mta_id, recipient_id ON events
    WHEN OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'reason' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'domain' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'provider' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'mta' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_hour_all SET n = n - 1 WHERE dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_hour_all WHERE n <= 0 AND dim = 'delay' AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_all SET n = n - 1 WHERE dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_all WHERE n <= 0 AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_recipient SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
    DELETE FROM agg_recipient WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
    UPDATE agg_recipient_hour SET n = n - 1 WHERE hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND recipient_id = OLD.recipient_id AND campaign_id = COALESCE(OLD.campaign_id, 0);
    DELETE FROM agg_recipient_hour WHERE n <= 0 AND hour = CASE WHEN OLD.occurred_at IS NULL THEN -1000000000 ELSE (OLD.occurred_at - (((OLD.occurred_at % 3600) + 3600) % 3600)) / 3600 END AND channel = OLD.channel AND recipient_id = OLD.recipient_id AND campaign_id = COALESCE(OLD.campaign_id, 0);
    UPDATE agg_recipient_all SET n = n - 1 WHERE channel = OLD.channel AND recipient_id = OLD.recipient_id;
    DELETE FROM agg_recipient_all WHERE n <= 0 AND channel = OLD.channel AND recipient_id = OLD.recipient_id;
END;
CREATE TRIGGER agg_events_update_failure_new AFTER UPDATE OF campaign_id, occurred_at, sent_at, channel, kind, class, reason, provider, remote_mta_id, recipient_id ON events
    WHEN NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND NEW.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), 'reason', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, NEW.reason, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n) VALUES ('reason', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, NEW.reason, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n) VALUES ('reason', NEW.reason, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), 'domain', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE((SELECT domain FROM recipients WHERE id = NEW.recipient_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n) VALUES ('domain', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE((SELECT domain FROM recipients WHERE id = NEW.recipient_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n) VALUES ('domain', COALESCE((SELECT domain FROM recipients WHERE id = NEW.recipient_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), 'provider', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(NEW.provider, ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n) VALUES ('provider', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE(NEW.provider, ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n) VALUES ('provider', COALESCE(NEW.provider, ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), 'mta', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE((SELECT text FROM texts WHERE id = NEW.remote_mta_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n) VALUES ('mta', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, COALESCE((SELECT text FROM texts WHERE id = NEW.remote_mta_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n) VALUES ('mta', COALESCE((SELECT text FROM texts WHERE id = NEW.remote_mta_id), ''), NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim(campaign_id, dim, hour, value, channel, kind, class, n) VALUES (COALESCE(NEW.campaign_id, 0), 'delay', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, CASE WHEN NEW.sent_at IS NULL OR NEW.occurred_at IS NULL OR NEW.occurred_at - NEW.sent_at < 0 THEN 'unknown' WHEN NEW.occurred_at - NEW.sent_at < 60 THEN 'lt_1m' WHEN NEW.occurred_at - NEW.sent_at < 3600 THEN 'lt_1h' WHEN NEW.occurred_at - NEW.sent_at < 21600 THEN 'lt_6h' WHEN NEW.occurred_at - NEW.sent_at < 86400 THEN 'lt_1d' WHEN NEW.occurred_at - NEW.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_hour_all(dim, hour, value, channel, kind, class, n) VALUES ('delay', CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, CASE WHEN NEW.sent_at IS NULL OR NEW.occurred_at IS NULL OR NEW.occurred_at - NEW.sent_at < 0 THEN 'unknown' WHEN NEW.occurred_at - NEW.sent_at < 60 THEN 'lt_1m' WHEN NEW.occurred_at - NEW.sent_at < 3600 THEN 'lt_1h' WHEN NEW.occurred_at - NEW.sent_at < 21600 THEN 'lt_6h' WHEN NEW.occurred_at - NEW.sent_at < 86400 THEN 'lt_1d' WHEN NEW.occurred_at - NEW.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_all(dim, value, channel, kind, class, n) VALUES ('delay', CASE WHEN NEW.sent_at IS NULL OR NEW.occurred_at IS NULL OR NEW.occurred_at - NEW.sent_at < 0 THEN 'unknown' WHEN NEW.occurred_at - NEW.sent_at < 60 THEN 'lt_1m' WHEN NEW.occurred_at - NEW.sent_at < 3600 THEN 'lt_1h' WHEN NEW.occurred_at - NEW.sent_at < 21600 THEN 'lt_6h' WHEN NEW.occurred_at - NEW.sent_at < 86400 THEN 'lt_1d' WHEN NEW.occurred_at - NEW.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, NEW.channel, NEW.kind, NEW.class, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_recipient(campaign_id, channel, recipient_id, n) VALUES (COALESCE(NEW.campaign_id, 0), NEW.channel, NEW.recipient_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_recipient_hour(hour, channel, recipient_id, campaign_id, n) VALUES (CASE WHEN NEW.occurred_at IS NULL THEN -1000000000 ELSE (NEW.occurred_at - (((NEW.occurred_at % 3600) + 3600) % 3600)) / 3600 END, NEW.channel, NEW.recipient_id, COALESCE(NEW.campaign_id, 0), 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_recipient_all(channel, recipient_id, n) VALUES (NEW.channel, NEW.recipient_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
"# } }

/// The aggregate tables, emptied by `report::rebuild_aggregates`.
pub const AGG_TABLES: &[&str] = &[
    "agg_imports",
    "agg_hour",
    "agg_hour_all",
    "agg_total",
    "agg_dim",
    "agg_dim_hour_all",
    "agg_dim_all",
    "agg_recipient",
    "agg_recipient_all",
    "agg_recipient_hour",
    "agg_recipient_count",
    "agg_recipient_all_count",
    "agg_quarter",
    "agg_dim_campaign",
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
    // 2: pre-aggregated counts for the dashboard (see the macros above).
    concat!(agg_tables_sql!(), agg_triggers_sql!()),
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
-- Kept exact like migration 2's tables (these fire before migration 2's triggers).
CREATE TRIGGER agg3_import_removed BEFORE DELETE ON imports WHEN OLD.id IN (SELECT import_id FROM agg_imports) BEGIN
    INSERT INTO agg_quarter(campaign_id, quarter, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), (e.occurred_at - (((e.occurred_at % 900) + 900) % 900)) / 900, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.occurred_at IS NOT NULL GROUP BY 1, 2, 3, 4
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'reason', e.reason, e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'domain', COALESCE((SELECT domain FROM recipients WHERE id = e.recipient_id), ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'provider', COALESCE(e.provider, ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'mta', COALESCE((SELECT text FROM texts WHERE id = e.remote_mta_id), ''), e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n)
        SELECT COALESCE(e.campaign_id, 0), 'delay', CASE WHEN e.sent_at IS NULL OR e.occurred_at IS NULL OR e.occurred_at - e.sent_at < 0 THEN 'unknown' WHEN e.occurred_at - e.sent_at < 60 THEN 'lt_1m' WHEN e.occurred_at - e.sent_at < 3600 THEN 'lt_1h' WHEN e.occurred_at - e.sent_at < 21600 THEN 'lt_6h' WHEN e.occurred_at - e.sent_at < 86400 THEN 'lt_1d' WHEN e.occurred_at - e.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, e.channel, e.kind, e.class, -COUNT(*) FROM events e WHERE e.import_id = OLD.id AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    DELETE FROM agg_quarter WHERE n <= 0;
    DELETE FROM agg_dim_campaign WHERE n <= 0;
END;
CREATE TRIGGER agg3_events_delete AFTER DELETE ON events WHEN OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_quarter SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND quarter = (OLD.occurred_at - (((OLD.occurred_at % 900) + 900) % 900)) / 900 AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_quarter WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND quarter = (OLD.occurred_at - (((OLD.occurred_at % 900) + 900) % 900)) / 900 AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
END;
CREATE TRIGGER agg3_events_update AFTER UPDATE OF campaign_id, occurred_at, sent_at, channel, kind, class, reason, provider, remote_mta_id, recipient_id ON events WHEN OLD.import_id IN (SELECT import_id FROM agg_imports) BEGIN
    UPDATE agg_quarter SET n = n - 1 WHERE campaign_id = COALESCE(OLD.campaign_id, 0) AND quarter = (OLD.occurred_at - (((OLD.occurred_at % 900) + 900) % 900)) / 900 AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_quarter WHERE n <= 0 AND campaign_id = COALESCE(OLD.campaign_id, 0) AND quarter = (OLD.occurred_at - (((OLD.occurred_at % 900) + 900) % 900)) / 900 AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'reason' AND value = OLD.reason AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'domain' AND value = COALESCE((SELECT domain FROM recipients WHERE id = OLD.recipient_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'provider' AND value = COALESCE(OLD.provider, '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'mta' AND value = COALESCE((SELECT text FROM texts WHERE id = OLD.remote_mta_id), '') AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    UPDATE agg_dim_campaign SET n = n - 1 WHERE OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    DELETE FROM agg_dim_campaign WHERE n <= 0 AND OLD.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') AND campaign_id = COALESCE(OLD.campaign_id, 0) AND dim = 'delay' AND value = CASE WHEN OLD.sent_at IS NULL OR OLD.occurred_at IS NULL OR OLD.occurred_at - OLD.sent_at < 0 THEN 'unknown' WHEN OLD.occurred_at - OLD.sent_at < 60 THEN 'lt_1m' WHEN OLD.occurred_at - OLD.sent_at < 3600 THEN 'lt_1h' WHEN OLD.occurred_at - OLD.sent_at < 21600 THEN 'lt_6h' WHEN OLD.occurred_at - OLD.sent_at < 86400 THEN 'lt_1d' WHEN OLD.occurred_at - OLD.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END AND channel = OLD.channel AND kind = OLD.kind AND class = OLD.class;
    INSERT INTO agg_quarter(campaign_id, quarter, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), (NEW.occurred_at - (((NEW.occurred_at % 900) + 900) % 900)) / 900, NEW.kind, NEW.class, 1 WHERE NEW.occurred_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), 'reason', NEW.reason, NEW.channel, NEW.kind, NEW.class, 1 WHERE NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), 'domain', COALESCE((SELECT domain FROM recipients WHERE id = NEW.recipient_id), ''), NEW.channel, NEW.kind, NEW.class, 1 WHERE NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), 'provider', COALESCE(NEW.provider, ''), NEW.channel, NEW.kind, NEW.class, 1 WHERE NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), 'mta', COALESCE((SELECT text FROM texts WHERE id = NEW.remote_mta_id), ''), NEW.channel, NEW.kind, NEW.class, 1 WHERE NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO agg_dim_campaign(campaign_id, dim, value, channel, kind, class, n) SELECT COALESCE(NEW.campaign_id, 0), 'delay', CASE WHEN NEW.sent_at IS NULL OR NEW.occurred_at IS NULL OR NEW.occurred_at - NEW.sent_at < 0 THEN 'unknown' WHEN NEW.occurred_at - NEW.sent_at < 60 THEN 'lt_1m' WHEN NEW.occurred_at - NEW.sent_at < 3600 THEN 'lt_1h' WHEN NEW.occurred_at - NEW.sent_at < 21600 THEN 'lt_6h' WHEN NEW.occurred_at - NEW.sent_at < 86400 THEN 'lt_1d' WHEN NEW.occurred_at - NEW.sent_at < 259200 THEN 'lt_3d' ELSE 'more' END, NEW.channel, NEW.kind, NEW.class, 1 WHERE NEW.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') ON CONFLICT DO UPDATE SET n = n + 1;
END;
"#,
    // 4: the aggregates are kept by Rust alone. Events only ever leave with their import, and
    // `import::remove_import` subtracts that import's counts first (report::forget_import); the
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
    // 6: compact events (src/store/compact.rs): `event_rows` + the `events` view.
    super::compact::MIGRATION,
];
