// Package memory is the embedded default profile.Store: records in a map
// guarded by a sync.RWMutex, copied on the way in and out. It keeps nothing
// across restarts; use store/sqlite or store/postgres for that.
package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/profilekit/profile"
)

// Store is an in-memory profile.Store. The zero value is not usable; call
// New. A Store is safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	recs    map[string]profile.Record
	byToken map[profile.TokenDigest]string
}

// New returns an empty Store.
func New() *Store {
	return &Store{recs: make(map[string]profile.Record), byToken: make(map[profile.TokenDigest]string)}
}

// Create stores r with Revision 1. It returns profile.ErrExists when the
// user exists or r's token digest belongs to another user.
func (s *Store) Create(ctx context.Context, r profile.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r = r.Clone()
	r.Revision = 1
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.recs[r.UserID]; ok {
		return fmt.Errorf("memory: create %q: %w", r.UserID, profile.ErrExists)
	}
	if d := r.Token.Digest; !d.IsZero() {
		if _, taken := s.byToken[d]; taken {
			return fmt.Errorf("memory: create %q: token digest in use: %w", r.UserID, profile.ErrExists)
		}
		s.byToken[d] = r.UserID
	}
	s.recs[r.UserID] = r
	return nil
}

// Get returns a copy of the user's record, or profile.ErrNotFound.
func (s *Store) Get(ctx context.Context, userID string) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, err
	}
	s.mu.RLock()
	r, ok := s.recs[userID]
	s.mu.RUnlock()
	if !ok {
		return profile.Record{}, fmt.Errorf("memory: get %q: %w", userID, profile.ErrNotFound)
	}
	return r.Clone(), nil
}

// Update replaces the record when r.Revision is the stored revision and
// returns the stored copy. It returns profile.ErrNotFound, profile.ErrConflict
// for a stale revision, or profile.ErrExists when the new token digest
// belongs to another user.
func (s *Store) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, err
	}
	r = r.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.recs[r.UserID]
	if !ok {
		return profile.Record{}, fmt.Errorf("memory: update %q: %w", r.UserID, profile.ErrNotFound)
	}
	if cur.Revision != r.Revision {
		return profile.Record{}, fmt.Errorf("memory: update %q: revision %d, stored %d: %w", r.UserID, r.Revision, cur.Revision, profile.ErrConflict)
	}
	if d := r.Token.Digest; d != cur.Token.Digest {
		if !d.IsZero() {
			if owner, taken := s.byToken[d]; taken && owner != r.UserID {
				return profile.Record{}, fmt.Errorf("memory: update %q: token digest in use: %w", r.UserID, profile.ErrExists)
			}
			s.byToken[d] = r.UserID
		}
		if !cur.Token.Digest.IsZero() {
			delete(s.byToken, cur.Token.Digest)
		}
	}
	r.Revision = cur.Revision + 1
	s.recs[r.UserID] = r
	return r.Clone(), nil
}

// Delete removes the user's record and its token digest, or returns
// profile.ErrNotFound.
func (s *Store) Delete(ctx context.Context, userID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.recs[userID]
	if !ok {
		return fmt.Errorf("memory: delete %q: %w", userID, profile.ErrNotFound)
	}
	if !cur.Token.Digest.IsZero() {
		delete(s.byToken, cur.Token.Digest)
	}
	delete(s.recs, userID)
	return nil
}

// GetByToken returns a copy of the record whose token digest is d, or
// profile.ErrNotFound (unwrapped: a miss is on Authenticate's hot path and
// allocates nothing).
func (s *Store) GetByToken(ctx context.Context, d profile.TokenDigest) (profile.Record, error) {
	if err := ctx.Err(); err != nil {
		return profile.Record{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byToken[d]
	if !ok || d.IsZero() {
		return profile.Record{}, profile.ErrNotFound
	}
	return s.recs[id].Clone(), nil
}

// Len returns how many records the store holds.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.recs)
}
