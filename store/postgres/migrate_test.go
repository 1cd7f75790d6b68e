package postgres

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNew_ConcurrentInstancesMigrateOnce(t *testing.T) {
	const n = 6
	pools := make([]*pgxpool.Pool, n)
	for i := range pools {
		pools[i] = newPool(t)
	}
	schema := freshSchema(t, pools[0])
	ctx := context.Background()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = New(ctx, pools[i], Config{Schema: schema}) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "instance %d", i)
	}
	var rows, version int
	require.NoError(t, pools[0].QueryRow(ctx, `SELECT COUNT(*), MAX(version) FROM `+pgx.Identifier{schema, "profile_schema_version"}.Sanitize()).Scan(&rows, &version))
	assert.Equal(t, 1, rows)
	assert.Equal(t, 1, version)
}

func TestNew_IsIdempotentAndKeepsData(t *testing.T) {
	pool := newPool(t)
	schema := freshSchema(t, pool)
	ctx := context.Background()
	s, err := New(ctx, pool, Config{Schema: schema})
	require.NoError(t, err)
	require.NoError(t, s.Create(ctx, stored("ada", 10)))
	for range 3 {
		s, err := New(ctx, pool, Config{Schema: schema})
		require.NoError(t, err)
		_, err = s.Get(ctx, "ada")
		assert.NoError(t, err)
	}
}

func TestNew_RefusesANewerSchema(t *testing.T) {
	pool := newPool(t)
	schema := freshSchema(t, pool)
	ctx := context.Background()
	_, err := New(ctx, pool, Config{Schema: schema})
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE `+pgx.Identifier{schema, "profile_schema_version"}.Sanitize()+` SET version = 99`)
	require.NoError(t, err)
	_, err = New(ctx, pool, Config{Schema: schema})
	assert.ErrorContains(t, err, "schema version 99 is newer")
}

func TestOpen_OwnsItsPool(t *testing.T) {
	pool := newPool(t) // skips or fails like every test when the server is down
	schema := freshSchema(t, pool)
	ctx := context.Background()
	s, err := Open(ctx, testURL(), Config{Schema: schema})
	require.NoError(t, err)
	require.NoError(t, s.Create(ctx, stored("ada", 10)))
	s.Close()
	_, err = s.Get(ctx, "ada")
	assert.Error(t, err, "Close closes the pool Open made")

	s, err = New(ctx, pool, Config{Schema: schema})
	require.NoError(t, err)
	s.Close()
	_, err = s.Get(ctx, "ada")
	assert.NoError(t, err, "Close leaves a caller's pool open")
}

func TestSchema_HostCanQueryTypedColumns(t *testing.T) {
	pool := newPool(t)
	s := newStore(t, pool)
	ctx := context.Background()
	rec := stored("ada", 10)
	require.NoError(t, s.Create(ctx, rec))
	var email, lang string
	var rev int64
	var digest []byte
	var hash string
	require.NoError(t, pool.QueryRow(ctx, `SELECT email, language, revision, token_digest, password->>'Hash'
		FROM `+s.table+` WHERE user_id = 'ada'`).
		Scan(&email, &lang, &rev, &digest, &hash))
	assert.Equal(t, "ada@example.com", email)
	assert.Equal(t, "en-GB", lang)
	assert.Equal(t, int64(1), rev)
	assert.Equal(t, rec.Token.Digest[:], digest)
	assert.Equal(t, rec.Password.Hash, hash)
}

// unreachableEnv makes TestHarness_UnreachableChild run against a closed port.
const unreachableEnv = "PROFILE_POSTGRES_UNREACHABLE_CHILD"

func TestHarness_UnreachableChild(t *testing.T) {
	if os.Getenv(unreachableEnv) == "" {
		t.Skip("child process of TestHarness_UnreachableServerSkipsButFailsInCI only")
	}
	newPool(t)
	t.Log("CONNECTED")
}

// TestHarness_UnreachableServerSkipsButFailsInCI checks that a developer
// without PostgreSQL gets a clear skip, and CI a failure.
func TestHarness_UnreachableServerSkipsButFailsInCI(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHarness_UnreachableChild$", "-test.v")
		cmd.Env = append(os.Environ(), unreachableEnv+"=1", "CI="+ci,
			"PROFILE_POSTGRES_URL=postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
		out, err := cmd.CombinedOutput()
		if ci == "true" {
			assert.Error(t, err, "CI=true must fail:\n%s", out)
			assert.Contains(t, string(out), "--- FAIL: TestHarness_UnreachableChild")
		} else {
			assert.NoError(t, err, "without CI the test skips:\n%s", out)
			assert.Contains(t, string(out), "--- SKIP: TestHarness_UnreachableChild")
		}
		assert.Contains(t, string(out), "PostgreSQL unreachable at 127.0.0.1:1")
	}
}
