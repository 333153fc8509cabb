-- Accounts fit for a real deployment (issue 11).
--
-- Sign-in throttling: attempts counted in the database (every server shares them) per bucket —
-- one per (user name typed, client address) and one per client address — in a window that
-- starts at the bucket's first attempt. Buckets are SHA-256 digests, so neither names nor
-- addresses are kept in clear. The account-wide lockout of 0001 is gone: it let anyone lock
-- anyone out.
CREATE TABLE login_attempts (
    bucket TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start TEXT NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
-- Set when an admin resets the password with a one-time code: the user chooses a new password
-- at the next sign-in.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- API tokens get an id (shown, listed and revoked by it), an expiry and the time of last use.
-- Tokens made before this version had no expiry: they get none here ('' is before every
-- instant), so they stop working and their owners ask for new ones.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
UPDATE api_tokens SET id = substr(token_hash, 1, 28);
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
CREATE INDEX sessions_user ON sessions (user_id);
