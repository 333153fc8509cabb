-- The revision at which the campaign's tree of units last changed (a unit renamed, moved or
-- retired): results kept at an earlier revision are recomputed in full rather than updated unit
-- by unit (issue 12). Facts' changes stay in unit_changes.
ALTER TABLE campaigns ADD COLUMN tree_revision BIGINT NOT NULL DEFAULT 0;
