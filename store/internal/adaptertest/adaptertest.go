// Package adaptertest holds what the tests and benchmarks of the store
// adapters (store/memory, store/sqlite, store/postgres) share: a record as
// the library stores it, the floor a Store call is compared with in the
// same run, and the measured loops. The conformance suite every store must
// pass is store/storetest.
package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/profilekit/profile"
)

// Stored returns a record as the library writes it after a password change
// and a token regeneration: a hash, a history, a digest (digest, digest+1,
// ...) and a sealed copy, its times in UTC with microsecond precision. It
// is safe for concurrent use.
func Stored(userID string, digest byte) profile.Record {
	var d profile.TokenDigest
	for i := range d {
		d[i] = digest + byte(i)
	}
	return profile.Record{
		UserID:         userID,
		ProfileVersion: 2,
		Profile: profile.Profile{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
			Attributes: map[string]string{"department": "Engines"}},
		Preferences: profile.Preferences{Language: "en-GB"},
		Password: profile.PasswordState{
			Hash:      "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
			History:   []string{"$argon2id$v=19$m=64,t=1,p=1$b2xk$b2xkaGFzaA"},
			ChangedAt: ts(1),
		},
		Token:     profile.TokenState{Digest: d, CreatedAt: ts(2), KeyID: "2026-11", Sealed: []byte{9, 8, 7}},
		CreatedAt: ts(3),
		UpdatedAt: ts(4),
	}
}

// ts returns a UTC time with microsecond precision.
func ts(sec int64) time.Time { return time.Unix(1_700_000_000+sec, 654321000).UTC() }

// FloorNs returns the mean cost in nanoseconds of op, run for at least 200
// times and 200 ms: the bare database operation a Store call is compared
// with in the same run. It stops the benchmark at op's first error. It is
// safe for concurrent use when op is.
func FloorNs(b testing.TB, op func() error) float64 {
	b.Helper()
	start := time.Now()
	n := 0
	for n < 200 || time.Since(start) < 200*time.Millisecond {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// Get measures s.Get of the stored user userID and reports its mean cost
// over floor nanoseconds as the metric x-floor. It stops the benchmark at
// the first error.
func Get(b *testing.B, s profile.Store, userID string, floor float64) {
	b.Helper()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Get(ctx, userID); err != nil {
			b.Fatal(err)
		}
	}
	reportXFloor(b, floor)
}

// Update measures uncontended compare-and-swap updates of the stored user
// userID's whole record, each bumping its ProfileVersion, and reports their
// mean cost over floor nanoseconds as the metric x-floor. It stops the
// benchmark at the first error.
func Update(b *testing.B, s profile.Store, userID string, floor float64) {
	b.Helper()
	ctx := context.Background()
	rec, err := s.Get(ctx, userID)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rec.ProfileVersion++
		if rec, err = s.Update(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	reportXFloor(b, floor)
}

func reportXFloor(b *testing.B, floor float64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "x-floor")
}
