-- Programme bundles moved between laptops. A merge needs to know which side changed a record since
-- the two last agreed, without trusting two laptops' clocks: each database keeps the last version of
-- every record it sent in a bundle and the last version it received from one (a version both sides
-- held), and a bundle carries its database's versions to the other side.
CREATE TABLE sync_versions (
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    row TEXT NOT NULL,                 -- the record's columns as JSON, exactly as stored
    PRIMARY KEY (table_name, record_id, direction)
);
CREATE INDEX sync_versions_programme ON sync_versions(programme_id);

-- One line per bundle exported, imported or merged (what happened, when, and the bundle's own date).
CREATE TABLE bundle_log (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('export', 'import', 'merge')),
    bundle_created TEXT NOT NULL,
    happened_at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bundle_log_programme ON bundle_log(programme_id, happened_at);
