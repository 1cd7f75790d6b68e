package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// defaultURL is the server this repository's machines run.
const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// testURL returns PROFILE_POSTGRES_URL or defaultURL.
func testURL() string {
	if u := os.Getenv("PROFILE_POSTGRES_URL"); u != "" {
		return u
	}
	return defaultURL
}

// newPool connects to the test server with a pool of its own, closed when
// tb ends. When the server is unreachable it skips tb, or fails it when
// CI=true: CI must never count a skipped database as a pass.
func newPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(testURL())
	require.NoError(tb, err, "PROFILE_POSTGRES_URL does not parse")
	if cfg.MaxConns < 20 {
		cfg.MaxConns = 20
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
		if err != nil {
			pool.Close()
		}
	}
	if err != nil {
		where := fmt.Sprintf("%s:%d", cfg.ConnConfig.Host, cfg.ConnConfig.Port)
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL unreachable at %s: %v (CI=true: start the server, see .ci/run)", where, err)
		}
		tb.Skipf("PostgreSQL unreachable at %s: %v; start it or set PROFILE_POSTGRES_URL (with CI=true this fails)", where, err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// freshSchema returns the name of a new, unique schema, dropped with
// everything in it when tb ends. The Store creates it on New.
func freshSchema(tb testing.TB, pool *pgxpool.Pool) string {
	tb.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "profiletest_" + hex.EncodeToString(b)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE")
		if err != nil {
			tb.Errorf("drop test schema %s: %v", name, err)
		}
	})
	return name
}

// newStore returns a Store over pool in a fresh schema.
func newStore(tb testing.TB, pool *pgxpool.Pool) *Store {
	tb.Helper()
	s, err := New(context.Background(), pool, Config{Schema: freshSchema(tb, pool)})
	require.NoError(tb, err)
	return s
}

// ts returns a UTC time with microsecond precision.
func ts(sec int64) time.Time { return time.Unix(1_700_000_000+sec, 654321000).UTC() }

// stored returns a record as the library writes it after a password change
// and a token regeneration: a hash, a history, a digest and a sealed copy.
func stored(userID string, digest byte) profile.Record {
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
