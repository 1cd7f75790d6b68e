// Package storetest is the conformance suite for profile.Store
// implementations. A store is correct when
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) profile.Store { return newMyStore(t) })
//	}
//
// passes. newStore is called once per subtest and must return an empty
// store; use t.Cleanup to release it.
//
// Times must survive a round trip to at least microsecond precision and
// compare equal with time.Time.Equal; a nil map or slice and an empty one
// are treated alike.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// Run runs the conformance suite against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) profile.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s profile.Store)
	}{
		{"CreateGetRoundTripsEveryField", testRoundTrip},
		{"CreateSetsRevisionOne", testCreateRevision},
		{"CreateExistingIsErrExists", testCreateExists},
		{"MissingUserIsErrNotFound", testNotFound},
		{"UpdateBumpsRevisionAndReturnsStored", testUpdate},
		{"StaleRevisionIsErrConflictAndChangesNothing", testStaleRevision},
		{"RecordsDoNotAlias", testNoAliasing},
		{"TokenIndexFollowsCreateUpdateDelete", testTokenIndex},
		{"TokenDigestIsUniqueAcrossUsers", testTokenUnique},
		{"FreedTokenDigestCanBeTakenByAnotherUser", testTokenFreed},
		{"ZeroDigestIsNeverIndexed", testZeroDigest},
		{"DeleteRemovesRecord", testDelete},
		{"ConcurrentCASIncrementsLoseNothing", testConcurrentCAS},
		{"CancelledContextIsHonoured", testCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

// ts returns a UTC time with microsecond precision, the least a store must keep.
func ts(sec int64) time.Time { return time.Unix(1_700_000_000+sec, 123456000).UTC() }

func digest(b byte) profile.TokenDigest {
	var d profile.TokenDigest
	for i := range d {
		d[i] = b ^ byte(i)
	}
	return d
}

// full returns a record with every field set.
func full(userID string) profile.Record {
	return profile.Record{
		UserID:         userID,
		Revision:       42, // ignored by Create
		ProfileVersion: 3,
		Profile: profile.Profile{
			FirstName:  "Zoë",
			LastName:   "O'Brien-Müller",
			Email:      "zoe@example.com",
			Username:   "zoe",
			Attributes: map[string]string{"department": "R&D", "phone": "+49 30 1234"},
		},
		Preferences: profile.Preferences{Language: "de"},
		Password: profile.PasswordState{
			Hash:           "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
			History:        []string{"$argon2id$old1", "$2a$10$old2"},
			ChangedAt:      ts(1),
			FailedAttempts: 2,
			WindowStart:    ts(2),
		},
		Token: profile.TokenState{
			Digest:    digest(7),
			CreatedAt: ts(3),
			ExpiresAt: ts(4),
			KeyID:     "k2026",
			Sealed:    []byte{0, 1, 2, 250, 251, 252},
		},
		CreatedAt: ts(5),
		UpdatedAt: ts(6),
	}
}

// equalRecords compares two records field by field, times with Equal.
func equalRecords(t *testing.T, want, got profile.Record) {
	t.Helper()
	assert.Equal(t, want.UserID, got.UserID, "UserID")
	assert.Equal(t, want.Revision, got.Revision, "Revision")
	assert.Equal(t, want.ProfileVersion, got.ProfileVersion, "ProfileVersion")
	wp, gp := want.Profile, got.Profile
	assert.Equal(t, wp.FirstName, gp.FirstName, "FirstName")
	assert.Equal(t, wp.LastName, gp.LastName, "LastName")
	assert.Equal(t, wp.Email, gp.Email, "Email")
	assert.Equal(t, wp.Username, gp.Username, "Username")
	assert.Equal(t, len(wp.Attributes), len(gp.Attributes), "len(Attributes)")
	for k, v := range wp.Attributes {
		assert.Equal(t, v, gp.Attributes[k], "Attributes[%q]", k)
	}
	assert.Equal(t, want.Preferences, got.Preferences, "Preferences")
	assert.Equal(t, want.Password.Hash, got.Password.Hash, "Password.Hash")
	assert.Equal(t, len(want.Password.History), len(got.Password.History), "len(Password.History)")
	for i := range want.Password.History {
		if i < len(got.Password.History) {
			assert.Equal(t, want.Password.History[i], got.Password.History[i], "Password.History[%d]", i)
		}
	}
	assertTime(t, want.Password.ChangedAt, got.Password.ChangedAt, "Password.ChangedAt")
	assert.Equal(t, want.Password.FailedAttempts, got.Password.FailedAttempts, "Password.FailedAttempts")
	assertTime(t, want.Password.WindowStart, got.Password.WindowStart, "Password.WindowStart")
	assert.Equal(t, want.Token.Digest, got.Token.Digest, "Token.Digest")
	assertTime(t, want.Token.CreatedAt, got.Token.CreatedAt, "Token.CreatedAt")
	assertTime(t, want.Token.ExpiresAt, got.Token.ExpiresAt, "Token.ExpiresAt")
	assert.Equal(t, want.Token.KeyID, got.Token.KeyID, "Token.KeyID")
	assert.Equal(t, len(want.Token.Sealed), len(got.Token.Sealed), "len(Token.Sealed)")
	if len(want.Token.Sealed) > 0 {
		assert.Equal(t, want.Token.Sealed, got.Token.Sealed, "Token.Sealed")
	}
	assertTime(t, want.CreatedAt, got.CreatedAt, "CreatedAt")
	assertTime(t, want.UpdatedAt, got.UpdatedAt, "UpdatedAt")
}

func assertTime(t *testing.T, want, got time.Time, name string) {
	t.Helper()
	assert.True(t, want.Equal(got), "%s: want %v, got %v", name, want, got)
}

func testRoundTrip(t *testing.T, s profile.Store) {
	ctx := context.Background()
	want := full("u1")
	require.NoError(t, s.Create(ctx, want))
	got, err := s.Get(ctx, "u1")
	require.NoError(t, err)
	want.Revision = 1
	equalRecords(t, want, got)

	// The zero record (no password, no token, no times) round-trips too.
	zero := profile.Record{UserID: "u2"}
	require.NoError(t, s.Create(ctx, zero))
	got, err = s.Get(ctx, "u2")
	require.NoError(t, err)
	zero.Revision = 1
	equalRecords(t, zero, got)
	assert.True(t, got.Token.Digest.IsZero())
}

func testCreateRevision(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "u", Revision: 99}))
	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Revision)
}

func testCreateExists(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "u", Profile: profile.Profile{FirstName: "first"}}))
	err := s.Create(ctx, profile.Record{UserID: "u", Profile: profile.Profile{FirstName: "second"}})
	assert.ErrorIs(t, err, profile.ErrExists)
	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "first", got.Profile.FirstName, "a refused Create must not overwrite")
}

func testNotFound(t *testing.T, s profile.Store) {
	ctx := context.Background()
	_, err := s.Get(ctx, "nobody")
	assert.ErrorIs(t, err, profile.ErrNotFound, "Get")
	_, err = s.Update(ctx, profile.Record{UserID: "nobody", Revision: 1})
	assert.ErrorIs(t, err, profile.ErrNotFound, "Update")
	assert.ErrorIs(t, s.Delete(ctx, "nobody"), profile.ErrNotFound, "Delete")
	_, err = ownerOf(ctx, s, digest(1))
	assert.ErrorIs(t, err, profile.ErrNotFound, "GetByToken")
}

func testUpdate(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, full("u")))
	rec, err := s.Get(ctx, "u")
	require.NoError(t, err)
	rec.Profile.FirstName = "Renée"
	rec.Profile.Attributes = map[string]string{"phone": "+33 1"}
	rec.Password.History = nil
	rec.Token = profile.TokenState{}
	out, err := s.Update(ctx, rec)
	require.NoError(t, err)
	want := rec
	want.Revision = 2
	equalRecords(t, want, out)
	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	equalRecords(t, want, got)
}

func testStaleRevision(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, full("u")))
	first, err := s.Get(ctx, "u")
	require.NoError(t, err)

	winner := first.Clone()
	winner.Profile.FirstName = "winner"
	_, err = s.Update(ctx, winner)
	require.NoError(t, err)

	loser := first.Clone()
	loser.Profile.FirstName = "loser"
	loser.Token.Digest = digest(99)
	_, err = s.Update(ctx, loser)
	assert.ErrorIs(t, err, profile.ErrConflict)

	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "winner", got.Profile.FirstName)
	assert.Equal(t, int64(2), got.Revision)
	_, err = ownerOf(ctx, s, digest(99))
	assert.ErrorIs(t, err, profile.ErrNotFound, "a refused Update must not index its digest")

	// A revision from the future is stale too.
	future := got.Clone()
	future.Revision += 5
	_, err = s.Update(ctx, future)
	assert.ErrorIs(t, err, profile.ErrConflict)
}

func testNoAliasing(t *testing.T, s profile.Store) {
	ctx := context.Background()
	in := full("u")
	require.NoError(t, s.Create(ctx, in))
	// Changing what was passed to Create changes nothing stored.
	in.Profile.Attributes["department"] = "changed"
	in.Password.History[0] = "changed"
	in.Token.Sealed[0] = 0xFF

	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "R&D", got.Profile.Attributes["department"])
	assert.Equal(t, "$argon2id$old1", got.Password.History[0])
	assert.Equal(t, byte(0), got.Token.Sealed[0])

	// Changing what Get returned changes nothing stored.
	got.Profile.Attributes["department"] = "changed"
	got.Password.History[0] = "changed"
	got.Token.Sealed[0] = 0xFF
	again, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "R&D", again.Profile.Attributes["department"])
	assert.Equal(t, "$argon2id$old1", again.Password.History[0])
	assert.Equal(t, byte(0), again.Token.Sealed[0])

	// Nor what GetByToken returned.
	byToken, err := s.GetByToken(ctx, digest(7))
	require.NoError(t, err)
	byToken.Profile.Attributes["department"] = "changed"
	byToken.Password.History[0] = "changed"
	byToken.Token.Sealed[0] = 0xFF
	again, err = s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "R&D", again.Profile.Attributes["department"])
	assert.Equal(t, "$argon2id$old1", again.Password.History[0])
	assert.Equal(t, byte(0), again.Token.Sealed[0])

	// Neither what was passed to Update nor what it returned.
	upd := again.Clone()
	out, err := s.Update(ctx, upd)
	require.NoError(t, err)
	upd.Profile.Attributes["department"] = "changed"
	out.Password.History[0] = "changed"
	out.Token.Sealed[0] = 0xFF
	final, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "R&D", final.Profile.Attributes["department"])
	assert.Equal(t, "$argon2id$old1", final.Password.History[0])
	assert.Equal(t, byte(0), final.Token.Sealed[0])
}

// ownerOf returns the ID of the user GetByToken finds for d.
func ownerOf(ctx context.Context, s profile.Store, d profile.TokenDigest) (string, error) {
	r, err := s.GetByToken(ctx, d)
	if err != nil {
		return "", err
	}
	if r.Token.Digest != d {
		return "", fmt.Errorf("GetByToken returned %q, whose digest is not the one asked for", r.UserID)
	}
	return r.UserID, nil
}

func testTokenIndex(t *testing.T, s profile.Store) {
	ctx := context.Background()
	rec := full("u")
	require.NoError(t, s.Create(ctx, rec))
	byToken, err := s.GetByToken(ctx, digest(7))
	require.NoError(t, err)
	rec.Revision = 1
	equalRecords(t, rec, byToken)
	id, err := ownerOf(ctx, s, digest(7))
	require.NoError(t, err)
	assert.Equal(t, "u", id)

	cur, err := s.Get(ctx, "u")
	require.NoError(t, err)
	cur.Token.Digest = digest(8)
	cur, err = s.Update(ctx, cur)
	require.NoError(t, err)
	_, err = ownerOf(ctx, s, digest(7))
	assert.ErrorIs(t, err, profile.ErrNotFound, "the replaced digest must stop resolving")
	id, err = ownerOf(ctx, s, digest(8))
	require.NoError(t, err)
	assert.Equal(t, "u", id)

	// Updating other fields keeps the index.
	cur.Profile.FirstName = "other"
	cur, err = s.Update(ctx, cur)
	require.NoError(t, err)
	id, err = ownerOf(ctx, s, digest(8))
	require.NoError(t, err)
	assert.Equal(t, "u", id)

	// Clearing the token removes it from the index.
	cur.Token = profile.TokenState{}
	cur, err = s.Update(ctx, cur)
	require.NoError(t, err)
	_, err = ownerOf(ctx, s, digest(8))
	assert.ErrorIs(t, err, profile.ErrNotFound)

	// Delete removes it too.
	cur.Token.Digest = digest(9)
	_, err = s.Update(ctx, cur)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, "u"))
	_, err = ownerOf(ctx, s, digest(9))
	assert.ErrorIs(t, err, profile.ErrNotFound)
}

func testTokenUnique(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, full("a"))) // holds digest(7)
	b := full("b")
	b.Token.Digest = digest(7)
	assert.ErrorIs(t, s.Create(ctx, b), profile.ErrExists, "Create with another user's digest")
	_, err := s.Get(ctx, "b")
	assert.ErrorIs(t, err, profile.ErrNotFound, "the refused Create must store nothing")

	b.Token.Digest = digest(3)
	require.NoError(t, s.Create(ctx, b))
	cur, err := s.Get(ctx, "b")
	require.NoError(t, err)
	cur.Token.Digest = digest(7)
	cur.Profile.FirstName = "changed"
	_, err = s.Update(ctx, cur)
	assert.ErrorIs(t, err, profile.ErrExists, "Update with another user's digest")

	got, err := s.Get(ctx, "b")
	require.NoError(t, err)
	assert.Equal(t, "Zoë", got.Profile.FirstName, "the refused Update must change nothing")
	assert.Equal(t, digest(3), got.Token.Digest)
	id, err := ownerOf(ctx, s, digest(7))
	require.NoError(t, err)
	assert.Equal(t, "a", id)
	id, err = ownerOf(ctx, s, digest(3))
	require.NoError(t, err)
	assert.Equal(t, "b", id)
}

func testTokenFreed(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, full("a"))) // holds digest(7)
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "b"}))

	// a revokes its token: the digest is free for b.
	a, err := s.Get(ctx, "a")
	require.NoError(t, err)
	a.Token = profile.TokenState{}
	_, err = s.Update(ctx, a)
	require.NoError(t, err)
	b, err := s.Get(ctx, "b")
	require.NoError(t, err)
	b.Token.Digest = digest(7)
	_, err = s.Update(ctx, b)
	require.NoError(t, err, "a revoked digest must not stay reserved")
	id, err := ownerOf(ctx, s, digest(7))
	require.NoError(t, err)
	assert.Equal(t, "b", id)

	// b is deleted: the digest is free for a new user.
	require.NoError(t, s.Delete(ctx, "b"))
	c := profile.Record{UserID: "c"}
	c.Token.Digest = digest(7)
	require.NoError(t, s.Create(ctx, c), "a deleted user's digest must not stay reserved")
	id, err = ownerOf(ctx, s, digest(7))
	require.NoError(t, err)
	assert.Equal(t, "c", id)
}

func testZeroDigest(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "a"}))
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "b"}), "two users without a token may coexist")
	_, err := ownerOf(ctx, s, profile.TokenDigest{})
	assert.ErrorIs(t, err, profile.ErrNotFound)
}

func testDelete(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, full("u")))
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "other"}))
	require.NoError(t, s.Delete(ctx, "u"))
	_, err := s.Get(ctx, "u")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	_, err = s.Get(ctx, "other")
	assert.NoError(t, err, "Delete must remove only its user")
	assert.ErrorIs(t, s.Delete(ctx, "u"), profile.ErrNotFound)
	// The user can be created again.
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "u"}))
}

func testConcurrentCAS(t *testing.T, s profile.Store) {
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, profile.Record{UserID: "u"}))
	const workers, each = 32, 50
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; {
				rec, err := s.Get(ctx, "u")
				if err != nil {
					errs <- err
					return
				}
				rec.ProfileVersion++
				if _, err := s.Update(ctx, rec); err != nil {
					if errors.Is(err, profile.ErrConflict) {
						continue
					}
					errs <- err
					return
				}
				i++
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := s.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, int64(workers*each), got.ProfileVersion, "lost updates")
	assert.Equal(t, int64(workers*each+1), got.Revision)
}

func testCancelled(t *testing.T, s profile.Store) {
	live := context.Background()
	require.NoError(t, s.Create(live, full("u")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	assertCancelled := func(name string, err error) {
		t.Helper()
		assert.Error(t, err, name)
		assert.True(t, errors.Is(err, context.Canceled), "%s: want context.Canceled, got %v", name, err)
	}
	assertCancelled("Create", s.Create(ctx, profile.Record{UserID: "new"}))
	_, err := s.Get(ctx, "u")
	assertCancelled("Get", err)
	rec, err := s.Get(live, "u")
	require.NoError(t, err)
	rec.Profile.FirstName = "cancelled"
	_, err = s.Update(ctx, rec)
	assertCancelled("Update", err)
	assertCancelled("Delete", s.Delete(ctx, "u"))
	_, err = ownerOf(ctx, s, digest(7))
	assertCancelled("GetByToken", err)

	_, err = s.Get(live, "new")
	assert.ErrorIs(t, err, profile.ErrNotFound, "a cancelled Create must store nothing")
	got, err := s.Get(live, "u")
	require.NoError(t, err, "a cancelled Delete must delete nothing")
	assert.Equal(t, "Zoë", got.Profile.FirstName, "a cancelled Update must change nothing")
	assert.Equal(t, int64(1), got.Revision)
}
