-- profile_records holds one row per user: the profile.Record.
-- Columns a host may query are typed; the password state and the rest of
-- the token state are JSON documents of the Go structs, so a field added to
-- them is stored without a migration. Only hashes, digests and sealed
-- tokens are stored: no password or token in plaintext.
CREATE TABLE profile_records (
    user_id         TEXT    NOT NULL PRIMARY KEY,
    revision        INTEGER NOT NULL,           -- compare-and-swap counter, 1 on create
    profile_version INTEGER NOT NULL,
    first_name      TEXT    NOT NULL,
    last_name       TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    attributes      TEXT    NOT NULL,           -- JSON object: the host's declared attributes
    language        TEXT    NOT NULL,           -- BCP 47 tag; '' means the default
    password        TEXT    NOT NULL,           -- JSON of profile.PasswordState (PHC hashes, history, attempts)
    token_digest    BLOB,                       -- SHA-256 of the API token; NULL: no token
    token           TEXT    NOT NULL,           -- JSON of profile.TokenState without Digest (times, key ID, sealed copy)
    created_at      TEXT,                       -- UTC, RFC 3339 with microseconds; NULL: zero time
    updated_at      TEXT
) STRICT;

-- A digest belongs to at most one user; users without a token are not indexed.
CREATE UNIQUE INDEX profile_records_token_digest ON profile_records (token_digest)
    WHERE token_digest IS NOT NULL;

CREATE INDEX profile_records_email ON profile_records (email);
