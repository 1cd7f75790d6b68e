package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile/examples/internal/restart"
	"github.com/profilekit/profile/store/postgres"
)

// TestRun_SecondRunFindsWhatTheFirstSaved runs the story twice in a fresh
// schema, each run on its own pool as a restarted instance would.
func TestRun_SecondRunFindsWhatTheFirstSaved(t *testing.T) {
	url := os.Getenv("PROFILE_POSTGRES_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	ctx := context.Background()
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	admin, err := pgxpool.New(pingCtx, url)
	if err == nil {
		t.Cleanup(admin.Close) // after the schema is dropped
		err = admin.Ping(pingCtx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL unreachable: %v (CI=true: start the server, see .ci/run)", err)
		}
		t.Skipf("PostgreSQL unreachable: %v; start it or set PROFILE_POSTGRES_URL (with CI=true this fails)", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "profiletest_example_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		_, err := admin.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		assert.NoError(t, err)
	})

	var outs []string
	for range 2 {
		pool, err := pgxpool.New(ctx, url)
		require.NoError(t, err)
		store, err := postgres.New(ctx, pool, postgres.Config{Schema: schema})
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, restart.Run(ctx, store, &out))
		pool.Close()
		outs = append(outs, out.String())
	}
	assert.Contains(t, outs[0], "first run: alice is not there yet")
	assert.Contains(t, outs[0], "saved: visits 1, version 2")
	assert.Contains(t, outs[1], "found alice as the last run left her: Alice Martin <alice@example.com>, language fr, visits 1, version 2")
	assert.Contains(t, outs[1], "the first run's password still verifies: true")
	assert.Contains(t, outs[1], "saved: visits 2, version 3")
}
