-- Household commitment lists and imported files. Portable like 0001: text ids, ISO dates,
-- BIGINT 0/1 for yes/no, BYTEA for file contents.

-- One row per household of a unit's commitment list ("danh sách hộ gia đình ký cam kết").
-- The unit's `commitments` row of group `households` holds the signed/total counts of this list.
CREATE TABLE household_commitments (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    household_head TEXT NOT NULL,
    address TEXT,
    signed BIGINT NOT NULL,
    signed_on TEXT,
    note TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX household_commitments_unit ON household_commitments (campaign_id, unit_id);

-- A spreadsheet uploaded for import: kept between the dry run and the confirmation so that
-- what is imported is exactly what was checked.
CREATE TABLE import_files (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    -- checked, imported or failed
    status TEXT NOT NULL,
    imported_rows BIGINT,
    message TEXT
);
CREATE INDEX import_files_unit ON import_files (campaign_id, unit_id);
