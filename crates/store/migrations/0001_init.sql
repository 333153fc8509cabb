-- antt schema. Written once for SQLite and PostgreSQL: ids are text made by the application,
-- dates are ISO text (YYYY-MM-DD), instants are RFC 3339 text in UTC, yes/no are BIGINT 0/1,
-- structured values are JSON text, file contents are BYTEA (a blob in SQLite).

-- The administrative tree and the units attached to it, time-versioned.
CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Lower-case name without diacritics, for search ("vinh long" finds "Vĩnh Long").
    name_folded TEXT NOT NULL,
    unit_type TEXT NOT NULL,
    parent_id TEXT REFERENCES units (id),
    -- Materialised path of ids from the root, '/86/857/29578/': a subtree is a prefix.
    path TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    successor_id TEXT REFERENCES units (id),
    official_code TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    flags TEXT NOT NULL DEFAULT '{}',
    is_demo BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_path ON units (path);
CREATE INDEX units_name_folded ON units (name_folded);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE grants (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, role, unit_id)
);
CREATE TABLE sessions (
    -- SHA-256 of the session token; the token itself is only in the cookie.
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    -- The province (or other root) that launched it; it covers that subtree.
    scope_unit_id TEXT NOT NULL REFERENCES units (id),
    year BIGINT NOT NULL,
    plan_number TEXT,
    plan_date TEXT NOT NULL,
    ruleset TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Bumped in the same transaction as every change to the campaign's facts, so cached
    -- verdicts know when they are stale, on any server.
    revision BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);

-- A unit's registration to strive for the standard, with its pledge per criterion.
CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    pledges TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    registered_on TEXT,
    submitted_at TEXT,
    on_time BIGINT,
    -- The copy as submitted, never changed afterwards (JSON).
    submitted_copy TEXT,
    receipt_number TEXT,
    returned_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, unit_id)
);

-- Which fact lists of a unit have been declared complete ("no incidents" is a fact too).
CREATE TABLE fact_lists (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    list TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, list)
);

CREATE TABLE unit_flags (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    flag TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, flag)
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    number TEXT,
    issued_on TEXT,
    evidence_id TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX documents_unit ON documents (campaign_id, unit_id);

CREATE TABLE commitments (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    group_code TEXT NOT NULL,
    signed BIGINT NOT NULL,
    total BIGINT NOT NULL,
    -- Optional named list of signatories (JSON array).
    names TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, unit_id, group_code)
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    severity TEXT,
    in_territory BIGINT NOT NULL,
    by_own_people BIGINT NOT NULL,
    force_majeure BIGINT NOT NULL,
    reported_promptly BIGINT,
    note TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX incidents_unit ON incidents (campaign_id, unit_id);

CREATE TABLE previous_year_counts (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, kind)
);

CREATE TABLE discipline (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    force_code TEXT NOT NULL,
    level TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    person TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX discipline_unit ON discipline (campaign_id, unit_id);

CREATE TABLE titles (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    force_code TEXT NOT NULL,
    scale TEXT NOT NULL,
    level TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX titles_unit ON titles (campaign_id, unit_id);

CREATE TABLE sub_units (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    scale TEXT,
    level TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX sub_units_unit ON sub_units (campaign_id, unit_id);

CREATE TABLE evidence_files (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX evidence_unit ON evidence_files (campaign_id, unit_id);

-- Scores per criterion (scoring item): the unit's own and the inspection team's.
CREATE TABLE scores (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    source TEXT NOT NULL,
    item TEXT NOT NULL,
    -- Tenths of a point.
    points BIGINT NOT NULL,
    note TEXT,
    scored_by TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, source, item)
);

-- Inspectors' judgements of parts that need a person's assessment.
CREATE TABLE judgements (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    criterion TEXT NOT NULL,
    part TEXT NOT NULL,
    met BIGINT NOT NULL,
    note TEXT,
    inspector TEXT NOT NULL,
    judged_on TEXT NOT NULL,
    UNIQUE (campaign_id, unit_id, criterion, part)
);

CREATE TABLE inspection_teams (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE inspection_team_members (
    team_id TEXT NOT NULL REFERENCES inspection_teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE TABLE inspection_assignments (
    team_id TEXT NOT NULL REFERENCES inspection_teams (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (team_id, unit_id)
);

CREATE TABLE review_minutes (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    held_on TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendees TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- A unit's verdict as confirmed by a reviewer (the rules propose; a person confirms).
CREATE TABLE verdicts (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    proposed_outcome TEXT NOT NULL,
    confirmed_outcome TEXT NOT NULL,
    classification TEXT,
    report TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    note TEXT,
    decision_id TEXT,
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    number TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    authority TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
CREATE TABLE decision_units (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (decision_id, unit_id)
);
-- Facts of a unit in a campaign are locked while a row exists here.
CREATE TABLE locks (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL
);

-- Append-only: who changed what, when, with the values before and after (JSON).
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_id TEXT,
    campaign_id TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_unit ON audit_log (unit_id);
