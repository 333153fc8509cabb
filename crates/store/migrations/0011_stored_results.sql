-- Results kept in the database (issue 12): every evaluated unit's report and counts and every
-- inner node's summary, as of the revision in campaign_results_state, so that several servers
-- share them and a restarted server starts from them (then follows unit_changes) instead of
-- evaluating the whole campaign again. Written by whichever server computed them; the state's
-- revision only ever moves forward.
CREATE TABLE campaign_results (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL,
    -- JSON: the unit's report and what it adds to the counts above it; NULL when not evaluated.
    report TEXT,
    counts TEXT,
    -- JSON: counts by unit type below the unit; NULL when it has no children.
    summary TEXT,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE TABLE campaign_results_state (
    campaign_id TEXT PRIMARY KEY REFERENCES campaigns (id),
    revision BIGINT NOT NULL
);
