// Package sqlite is a persistent profile.Store in one SQLite file, on the
// pure-Go driver modernc.org/sqlite (no cgo). It is the embedded default for
// a host that must keep profiles across restarts without running a database
// server.
//
// Open creates or upgrades the schema (see the migrations directory and the
// README for the tables). The database runs in WAL mode, so readers never
// wait for a writer; writers take the write lock up front (BEGIN IMMEDIATE)
// and wait up to Config.BusyTimeout for each other, also across processes,
// instead of failing with SQLITE_BUSY.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/profilekit/profile"
)

// Config tunes a Store. The zero value is ready to use.
type Config struct {
	// BusyTimeout is how long a writer waits for another connection or
	// process holding the write lock. 0: 10 seconds.
	BusyTimeout time.Duration
	// MaxOpenConns bounds the connection pool. 0: 8.
	MaxOpenConns int
	// FullSync waits for the write-ahead log to reach the disk on every
	// commit (PRAGMA synchronous=FULL), so that a committed write survives
	// a power cut too. Without it (synchronous=NORMAL) a committed write
	// survives a crash of the process, and a power cut may roll back the
	// last commits but never corrupts the database.
	FullSync bool
}

// Store is a profile.Store in a SQLite database. Create it with Open and
// release it with Close. A Store is safe for concurrent use, and several
// Stores (in one process or many) may use the same file at once.
type Store struct {
	db *sql.DB
	// write serialises this Store's writers in Go, so that they queue
	// without polling SQLite's busy handler; the busy timeout still
	// arbitrates between Stores and processes.
	write chan struct{}

	insert, get, update, del, revision, getByToken *sql.Stmt

	// beforeCommit, when set by a test, runs inside Update's transaction
	// just before it commits.
	beforeCommit func()
}

var _ profile.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database file at path and
// brings its schema up to date. Open fails for a path that is not a plain
// file name (empty, ":memory:", a "file:" URI, or containing '?'; the
// in-memory store is store/memory), when the file cannot be opened, when its
// schema is newer than this package knows, or when ctx ends first.
func Open(ctx context.Context, path string, cfg Config) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: open %q: the path must be a plain file name", path)
	}
	if cfg.BusyTimeout < 0 || cfg.MaxOpenConns < 0 {
		return nil, errors.New("sqlite: Config.BusyTimeout and Config.MaxOpenConns must not be negative")
	}
	if cfg.BusyTimeout == 0 {
		cfg.BusyTimeout = 10 * time.Second
	}
	if cfg.MaxOpenConns == 0 {
		cfg.MaxOpenConns = 8
	}
	syncMode := "NORMAL"
	if cfg.FullSync {
		syncMode = "FULL"
	}
	q := "?_busy_timeout=" + strconv.FormatInt(cfg.BusyTimeout.Milliseconds(), 10) +
		"&_txlock=immediate&_journal_mode=WAL&_synchronous=" + syncMode
	db, err := sql.Open("sqlite", path+q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	db.SetMaxOpenConns(cfg.MaxOpenConns)
	db.SetMaxIdleConns(cfg.MaxOpenConns)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, write: make(chan struct{}, 1)}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	return s, nil
}

// prepare prepares the statements once; database/sql re-prepares them per
// connection as needed.
func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&s.insert, insertSQL},
		{&s.get, selectSQL},
		{&s.update, updateSQL},
		{&s.del, deleteSQL},
		{&s.revision, revisionSQL},
		{&s.getByToken, getByTokenSQL},
	} {
		st, err := s.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*p.stmt = st
	}
	return nil
}

// Close closes the database. Calls after Close fail.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.insert, s.get, s.update, s.del, s.revision, s.getByToken} {
		st.Close()
	}
	return s.db.Close()
}

// lockWrite waits for this Store's write turn or for ctx to end.
func (s *Store) lockWrite(ctx context.Context) error {
	select {
	case s.write <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlockWrite() { <-s.write }

// fail wraps err with op and the user, reporting ctx's error when ctx ended
// (the driver reports an interrupted statement in its own words).
func fail(ctx context.Context, op, userID string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = ctxErr
	}
	return fmt.Errorf("sqlite: %s %q: %w", op, userID, err)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

const (
	insertSQL = `INSERT INTO profile_records (` + columns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	selectSQL = `SELECT ` + columns + ` FROM profile_records WHERE user_id = ?`
	updateSQL = `UPDATE profile_records SET revision = revision + 1, profile_version = ?,
	first_name = ?, last_name = ?, email = ?, username = ?, attributes = ?, language = ?,
	password = ?, token_digest = ?, token = ?, created_at = ?, updated_at = ?
	WHERE user_id = ? AND revision = ?`
	deleteSQL     = `DELETE FROM profile_records WHERE user_id = ?`
	revisionSQL   = `SELECT revision FROM profile_records WHERE user_id = ?`
	getByTokenSQL = `SELECT ` + columns + ` FROM profile_records WHERE token_digest = ?`
)

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
	if err := s.lockWrite(ctx); err != nil {
		return fail(ctx, "create", r.UserID, err)
	}
	defer s.unlockWrite()
	if _, err := s.insert.ExecContext(ctx, w.Args()...); err != nil {
		if isUnique(err) {
			return fmt.Errorf("sqlite: create %q: user or token digest exists: %w", r.UserID, profile.ErrExists)
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
	err := s.get.QueryRowContext(ctx, userID).Scan(w.Dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return profile.Record{}, fmt.Errorf("sqlite: get %q: %w", userID, profile.ErrNotFound)
	}
	if err != nil {
		return profile.Record{}, fail(ctx, "get", userID, err)
	}
	r, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("sqlite: get %q: %w", userID, err)
	}
	return r, nil
}

// Update stores r when r.Revision is the stored revision (compare-and-swap)
// and returns the stored record, whose Revision is one higher. It returns
// an error wrapping profile.ErrNotFound for a missing user,
// profile.ErrConflict for a stale revision, profile.ErrExists when r's token
// digest belongs to another user, and ctx's error when ctx ends first; on
// error nothing changed.
func (s *Store) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	w, err := encode(r)
	if err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	if err := s.lockWrite(ctx); err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	defer s.unlockWrite()
	// A stale revision is refused with one read, without the write lock:
	// revisions only grow, so the other writers of this Store, which queue
	// behind us, cost the database nothing when they lose.
	var stored int64
	err = s.revision.QueryRowContext(ctx, r.UserID).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return profile.Record{}, fmt.Errorf("sqlite: update %q: %w", r.UserID, profile.ErrNotFound)
	case err != nil:
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	case stored != r.Revision:
		return profile.Record{}, fmt.Errorf("sqlite: update %q: revision %d, stored %d: %w", r.UserID, r.Revision, stored, profile.ErrConflict)
	}
	// One BEGIN IMMEDIATE transaction, so that a refused write can tell a
	// stale revision from a missing user as of the same instant.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.StmtContext(ctx, s.update).ExecContext(ctx, w.ProfileVersion, w.FirstName, w.LastName, w.Email, w.Username,
		w.Attributes, w.Language, w.Password, w.DigestArg(), w.Token, w.CreatedAt, w.UpdatedAt, w.UserID, w.Revision)
	if err != nil {
		if isUnique(err) {
			return profile.Record{}, fmt.Errorf("sqlite: update %q: token digest in use: %w", r.UserID, profile.ErrExists)
		}
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	if n == 0 {
		err := tx.StmtContext(ctx, s.revision).QueryRowContext(ctx, r.UserID).Scan(&stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return profile.Record{}, fmt.Errorf("sqlite: update %q: %w", r.UserID, profile.ErrNotFound)
		case err != nil:
			return profile.Record{}, fail(ctx, "update", r.UserID, err)
		}
		return profile.Record{}, fmt.Errorf("sqlite: update %q: revision %d, stored %d: %w", r.UserID, r.Revision, stored, profile.ErrConflict)
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	if err := tx.Commit(); err != nil {
		return profile.Record{}, fail(ctx, "update", r.UserID, err)
	}
	w.Revision++
	out, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("sqlite: update %q: %w", r.UserID, err)
	}
	return out, nil
}

// Delete removes the user's record and with it the token digest. It
// returns an error wrapping profile.ErrNotFound when there is none.
func (s *Store) Delete(ctx context.Context, userID string) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "delete", userID, err)
	}
	if err := s.lockWrite(ctx); err != nil {
		return fail(ctx, "delete", userID, err)
	}
	defer s.unlockWrite()
	res, err := s.del.ExecContext(ctx, userID)
	if err != nil {
		return fail(ctx, "delete", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fail(ctx, "delete", userID, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: delete %q: %w", userID, profile.ErrNotFound)
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
		return profile.Record{}, fmt.Errorf("sqlite: get by token: %w", profile.ErrNotFound)
	}
	var w row
	err := s.getByToken.QueryRowContext(ctx, d[:]).Scan(w.Dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return profile.Record{}, fmt.Errorf("sqlite: get by token: %w", profile.ErrNotFound)
	}
	if err != nil {
		return profile.Record{}, fail(ctx, "get by token", "", err)
	}
	r, err := decode(w)
	if err != nil {
		return profile.Record{}, fmt.Errorf("sqlite: get by token: %w", err)
	}
	return r, nil
}
