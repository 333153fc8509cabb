-- Second factor, expiring one-time codes (issue 11) and the request a decision rests on (issue 13).

-- TOTP (RFC 6238) per account. `totp_secret` is the shared secret in base32; it is kept in clear
-- because checking a code needs it (the database and its backups are to be guarded like the
-- server). `totp_enabled` is 0 while the secret is being enrolled (shown to the user but not yet
-- confirmed with a code) and 1 once confirmed. `totp_last_step` is the time step of the last
-- code accepted: a code is accepted only for a later step, so an observed code cannot be
-- replayed.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- Recovery codes: SHA-256 digests of random codes shown once; each is used at most once.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);
-- Sign-ins whose password was right and whose second factor is awaited: a short-lived token in
-- a cookie of its own, never a session.
CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_sign_ins_user ON pending_sign_ins (user_id);

-- A one-time code given by an admin (new account or password reset) works until this instant
-- (RFC 3339); NULL for a password the user chose.
ALTER TABLE users ADD COLUMN password_expires_at TEXT;

-- The police's request (tờ trình) a decision answers: "Xét đề nghị của Trưởng Công an … tại Tờ
-- trình số … ngày …". Empty for decisions recorded before.
ALTER TABLE decisions ADD COLUMN request_number TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN request_date TEXT NOT NULL DEFAULT '';

-- Who kept the minutes of a review meeting and who took part, name by name (one a line, "Name -
-- role"), printed in the minutes with the secretary's signature. Empty for minutes recorded before.
ALTER TABLE review_minutes ADD COLUMN secretary TEXT NOT NULL DEFAULT '';
ALTER TABLE review_minutes ADD COLUMN members TEXT NOT NULL DEFAULT '';
