// Package postgres is a profile.Store in PostgreSQL on
// github.com/jackc/pgx/v5, for a host that runs many instances of its
// application over one database.
//
// New (on a pool the host owns) or Open (on a URL) creates or upgrades the
// schema under a PostgreSQL advisory lock, so that instances starting at
// once do not race (see the migrations directory and the README for the
// tables). Update is one compare-and-swap statement, so two instances never
// lose each other's writes, and a token digest replaced through one
// instance stops resolving through every other at once.
//
// PostgreSQL text cannot hold the NUL character; the Service refuses
// control characters in profile fields, so only a caller that writes
// records to the Store directly can meet that error.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/profilekit/profile"
)

// Config tunes a Store. The zero value is ready to use.
type Config struct {
	// Schema is the PostgreSQL schema that holds the tables; it is created
	// when missing. Empty: the connection's search_path (usually public).
	Schema string
}

// Store is a profile.Store in PostgreSQL. Create it with New or Open. A
// Store is safe for concurrent use, and any number of Stores, in one
// process or many, may share one database.
type Store struct {
	pool  *pgxpool.Pool
	owned bool   // Open made the pool; Close closes it
	table string // profile_records, qualified by the schema when one is set

	insertSQL, selectSQL, updateSQL, deleteSQL, getByTokenSQL string
}

var _ profile.Store = (*Store)(nil)

// New returns a Store on pool, after creating or upgrading the schema. The
// pool stays the caller's: Close does not close it. New fails when the
// database cannot be reached, when its schema is newer than this package
// knows, or when ctx ends first.
func New(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Store, error) {
	if pool == nil {
		return nil, errors.New("postgres: New: pool is nil")
	}
	table := "profile_records"
	if cfg.Schema != "" {
		table = pgx.Identifier{cfg.Schema, "profile_records"}.Sanitize()
	}
	s := &Store{pool: pool, table: table}
	s.insertSQL = `INSERT INTO ` + table + ` (` + columns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
	s.selectSQL = `SELECT ` + columns + ` FROM ` + table + ` WHERE user_id = $1`
	// One statement: the CAS update, and the revision stored before it (from
	// the statement's snapshot) to tell a stale revision from a missing user.
	s.updateSQL = `WITH old AS (SELECT revision FROM ` + table + ` WHERE user_id = $1),
	upd AS (
		UPDATE ` + table + ` SET revision = revision + 1, profile_version = $3,
			first_name = $4, last_name = $5, email = $6, username = $7, attributes = $8,
			language = $9, password = $10, token_digest = $11, token = $12,
			created_at = $13, updated_at = $14
		WHERE user_id = $1 AND revision = $2
		RETURNING revision)
	SELECT (SELECT revision FROM upd), (SELECT revision FROM old)`
	s.deleteSQL = `DELETE FROM ` + table + ` WHERE user_id = $1`
	s.getByTokenSQL = `SELECT ` + columns + ` FROM ` + table + ` WHERE token_digest = $1`
	if err := s.migrate(ctx, cfg.Schema); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}

// Open connects to the database at url (a PostgreSQL URL or key=value
// string, as pgxpool.ParseConfig reads it) and returns a Store that owns the
// connection pool; Close closes it. It fails as New does, and for a bad URL.
func Open(ctx context.Context, url string, cfg Config) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s, err := New(ctx, pool, cfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.owned = true
	return s, nil
}

// Close closes the connection pool when Open made it; for a Store made by
// New it does nothing, the pool being the caller's.
func (s *Store) Close() {
	if s.owned {
		s.pool.Close()
	}
}

// lockKey is the advisory lock that serialises migrations of one schema.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("github.com/profilekit/profile/store/postgres schema " + schema))
	return int64(h.Sum64())
}

// fail wraps err with op and the user, reporting ctx's error when ctx ended.
func fail(ctx context.Context, op, userID string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return fmt.Errorf("postgres: %s %q: %w", op, userID, err)
}

// isUnique reports whether err is a unique violation.
func isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// Create stores r with Revision 1. It returns an error wrapping
// profile.ErrExists when the user exists or r's token digest belongs to
// another user, and ctx's error when ctx ends first.
func (s *Store) Create(ctx context.Context, r profile.Record) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "create", r.UserID, err)
	}
	r.Revision = 1
	w, err := encode(r)
	if err != nil {
		return fail(ctx, "create", r.UserID, err)
	}
	if _, err := s.pool.Exec(ctx, s.insertSQL, w.Args()...); err != nil {
		if isUnique(err) {
			return fmt.Errorf("postgres: create %q: user or token digest exists: %w", r.UserID, profile.ErrExists)
		}
		return fail(ctx, "create", r.UserID, err)
	}
	return nil
}

// Get returns the user's record. It returns an error wrapping
// profile.ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, userID string) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, fail(ctx, "get", userID, err)
	}
	var w row
	err := s.pool.QueryRow(ctx, s.selectSQL, userID).Scan(w.Dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return profile.Record{}, fmt.Errorf("postgres: get %q: %w", userID, profile.ErrNotFound)
	}
	if err != nil {
		return profile.Record{}, fail(ctx, "get", userID, err)
	}
	r, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("postgres: get %q: %w", userID, err)
	}
	return r, nil
}

// Update stores r when r.Revision is the stored revision (compare-and-swap,
// in one statement) and returns the stored record, whose Revision is one
// higher. It returns an error wrapping profile.ErrNotFound for a missing
// user, profile.ErrConflict for a stale revision, profile.ErrExists when
// r's token digest belongs to another user, and ctx's error when ctx ends
// first; on error nothing changed.
func (s *Store) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	w, err := encode(r)
	if err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	var updated, stored *int64
	err = s.pool.QueryRow(ctx, s.updateSQL, w.Args()...).Scan(&updated, &stored)
	switch {
	case isUnique(err):
		return profile.Record{}, fmt.Errorf("postgres: update %q: token digest in use: %w", r.UserID, profile.ErrExists)
	case err != nil:
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	case updated == nil && stored == nil:
		return profile.Record{}, fmt.Errorf("postgres: update %q: %w", r.UserID, profile.ErrNotFound)
	case updated == nil:
		return profile.Record{}, fmt.Errorf("postgres: update %q: revision %d, stored %d: %w", r.UserID, r.Revision, *stored, profile.ErrConflict)
	}
	w.Revision = *updated
	out, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("postgres: update %q: %w", r.UserID, err)
	}
	return out, nil
}

// Delete removes the user's record and with it the token digest. It
// returns an error wrapping profile.ErrNotFound when there is none.
func (s *Store) Delete(ctx context.Context, userID string) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "delete", userID, err)
	}
	tag, err := s.pool.Exec(ctx, s.deleteSQL, userID)
	if err != nil {
		return fail(ctx, "delete", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: delete %q: %w", userID, profile.ErrNotFound)
	}
	return nil
}

// GetByToken returns the record whose token digest is d, in one query on
// the unique token_digest index. It returns an error wrapping
// profile.ErrNotFound for an unknown or zero digest, and ctx's error when
// ctx ends first.
func (s *Store) GetByToken(ctx context.Context, d profile.TokenDigest) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, fail(ctx, "get by token", "", err)
	}
	if d.IsZero() {
		return profile.Record{}, fmt.Errorf("postgres: get by token: %w", profile.ErrNotFound)
	}
	var w row
	err := s.pool.QueryRow(ctx, s.getByTokenSQL, d[:]).Scan(w.Dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return profile.Record{}, fmt.Errorf("postgres: get by token: %w", profile.ErrNotFound)
	}
	if err != nil {
		return profile.Record{}, fail(ctx, "get by token", "", err)
	}
	r, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("postgres: get by token: %w", err)
	}
	return r, nil
}
