package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile/examples/internal/restart"
	"github.com/profilekit/profile/store/sqlite"
)

// TestRun_SecondRunFindsWhatTheFirstSaved runs the story twice on one
// file, closing the database in between as a restart would.
func TestRun_SecondRunFindsWhatTheFirstSaved(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "profiles.db")
	var outs []string
	for range 2 {
		store, err := sqlite.Open(ctx, path, sqlite.Config{})
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, restart.Run(ctx, store, &out))
		require.NoError(t, store.Close())
		outs = append(outs, out.String())
	}
	assert.Contains(t, outs[0], "first run: alice is not there yet")
	assert.Contains(t, outs[0], "saved: visits 1, version 2")
	assert.Contains(t, outs[1], "found alice as the last run left her: Alice Martin <alice@example.com>, language fr, visits 1, version 2")
	assert.Contains(t, outs[1], "the first run's password still verifies: true")
	assert.Contains(t, outs[1], "saved: visits 2, version 3")
}
