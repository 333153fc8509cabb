-- What the facts record beyond 0001's columns (TT 124 as read in docs/rulesets.md): the harm an
-- event did, the field of law of a sanction, the group of the unit's people who did it; the
-- other forces a disciplined person belongs to; the other groups one commitment figure counts.
-- JSON text, like every structured value.
ALTER TABLE incidents ADD COLUMN harm TEXT;
ALTER TABLE incidents ADD COLUMN domain TEXT;
ALTER TABLE incidents ADD COLUMN group_code TEXT;
ALTER TABLE discipline ADD COLUMN also_forces TEXT NOT NULL DEFAULT '[]';
ALTER TABLE commitments ADD COLUMN also_groups TEXT NOT NULL DEFAULT '[]';
