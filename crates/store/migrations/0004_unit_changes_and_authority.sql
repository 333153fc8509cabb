-- Which units each write touched, at which revision of their campaign (the revision a unit's
-- facts last changed at). Written in the same transaction as the change.
CREATE TABLE unit_changes (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    revision BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX unit_changes_revision ON unit_changes (campaign_id, revision);

-- The revision of the unit's facts a reviewer confirmed its verdict at: a decision refuses a
-- unit whose facts changed since.
ALTER TABLE verdicts ADD COLUMN unit_revision BIGINT NOT NULL DEFAULT 0;

-- The People's Committee (a unit of the tree) that issued a decision, from the ruleset's
-- recognising authority; unlocking and relocking belong to it.
ALTER TABLE decisions ADD COLUMN issuer_unit_id TEXT REFERENCES units (id);

-- Who signed for the committee: its chairman (chu_tich) or a vice-chairman for the chairman
-- (pho_chu_tich, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
ALTER TABLE decisions ADD COLUMN signer_role TEXT NOT NULL DEFAULT 'chu_tich';
