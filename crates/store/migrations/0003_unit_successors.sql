-- Successors of the 2025 reorganisation: an old unit and each new unit it went into, whole or
-- in part. A commune split between several new communes has a row for each; units.successor_id
-- keeps the main one.
CREATE TABLE unit_successors (
    unit_id TEXT NOT NULL REFERENCES units (id),
    successor_id TEXT NOT NULL REFERENCES units (id),
    -- 1 when the whole unit went into the successor, 0 for a part.
    whole BIGINT NOT NULL,
    -- The official list's note: "Nhập toàn bộ", "Nhập một phần diện tích"…
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, successor_id)
);
CREATE INDEX unit_successors_successor ON unit_successors (successor_id);
