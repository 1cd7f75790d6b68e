-- profile_records holds one row per user: the profile.Record.
-- Columns a host may query are typed; the password state and the rest of
-- the token state are JSON documents of the Go structs, so a field added to
-- them is stored without a migration. Only hashes, digests and sealed
-- tokens are stored: no password or token in plaintext.
CREATE TABLE profile_records (
    user_id         text        NOT NULL PRIMARY KEY,
    revision        bigint      NOT NULL,   -- compare-and-swap counter, 1 on create
    profile_version bigint      NOT NULL,
    first_name      text        NOT NULL,
    last_name       text        NOT NULL,
    email           text        NOT NULL,
    username        text        NOT NULL,
    attributes      jsonb       NOT NULL,   -- object: the host's declared attributes
    language        text        NOT NULL,   -- BCP 47 tag; '' means the default
    password        jsonb       NOT NULL,   -- profile.PasswordState (PHC hashes, history, attempts)
    token_digest    bytea,                  -- SHA-256 of the API token; NULL: no token
    token           jsonb       NOT NULL,   -- profile.TokenState without Digest (times, key ID, sealed copy)
    created_at      timestamptz,            -- NULL: zero time
    updated_at      timestamptz,
    -- A digest belongs to at most one user; NULLs (no token) never collide.
    CONSTRAINT profile_records_token_digest_key UNIQUE (token_digest),
    CONSTRAINT profile_records_token_digest_len CHECK (octet_length(token_digest) = 32)
);

CREATE INDEX profile_records_email ON profile_records (email);
