-- Rulesets loaded at run time (issue 15): every ruleset text a campaign started with, and every
-- ruleset an operator added (`antt rulesets add`), kept exactly as written with its SHA-256 hash.
-- A name's versions count from 1; a changed text under the same name is a new version and the
-- old ones stay, so a campaign keeps the text it started with. The texts compiled into antt
-- (built_in = 1) are recorded here when a campaign first uses them.
CREATE TABLE rulesets (
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    built_in BIGINT NOT NULL DEFAULT 0,
    -- Who added it (the operator at the command line, or antt for a built-in text) and when.
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE INDEX rulesets_hash ON rulesets (hash);

-- The version of the ruleset (by name, in `rulesets`) the campaign started with. Campaigns of
-- earlier releases get the built-in text of their ruleset when the store is migrated
-- (`Store::migrate`), as they were evaluated under it until then.
ALTER TABLE campaigns ADD COLUMN ruleset_version BIGINT;
