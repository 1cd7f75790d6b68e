package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/internal/adaptertest"
)

// stored returns a record as the library writes it, with every field set.
var stored = adaptertest.Stored

func reopen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Config{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDurability_ReopenKeepsProfilesHashesHistoryAndTokens(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	want := stored("ada", 10)
	require.NoError(t, s.Create(ctx, want))
	cur, err := s.Get(ctx, "ada")
	require.NoError(t, err)
	// A password change and a token regeneration, as the Service writes them.
	cur.Password.History = append([]string{cur.Password.Hash}, cur.Password.History...)
	cur.Password.Hash = "$argon2id$v=19$m=64,t=1,p=1$bmV3$bmV3aGFzaA"
	cur.Token.Digest[0] ^= 0xFF
	want, err = s.Update(ctx, cur)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2 := reopen(t, path)
	got, err := s2.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$b2xk$b2xkaGFzaA"}, got.Password.History)
	byToken, err := s2.GetByToken(ctx, want.Token.Digest)
	require.NoError(t, err)
	assert.Equal(t, want, byToken)
	_, err = s2.GetByToken(ctx, stored("ada", 10).Token.Digest)
	assert.ErrorIs(t, err, profile.ErrNotFound, "the replaced token must not come back after a restart")
}

func TestDurability_CancelledWriterLeavesPreviousState(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	before := stored("ada", 10)
	require.NoError(t, s.Create(ctx, before))
	cur, err := s.Get(ctx, "ada")
	require.NoError(t, err)

	// The writer's context is cancelled after its UPDATE ran, before COMMIT.
	wctx, cancel := context.WithCancel(ctx)
	s.beforeCommit = cancel
	next := cur.Clone()
	next.Profile.FirstName = "half-written"
	next.Password.Hash = "$argon2id$half-written"
	next.Token.Digest = stored("x", 99).Token.Digest
	_, err = s.Update(wctx, next)
	assert.ErrorIs(t, err, context.Canceled)
	s.beforeCommit = nil
	require.NoError(t, s.Close())

	s2 := reopen(t, path)
	got, err := s2.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, cur, got, "the cancelled write must leave the previous record")
	_, err = s2.GetByToken(ctx, next.Token.Digest)
	assert.ErrorIs(t, err, profile.ErrNotFound)
	// And the database accepts the next write.
	cur.Profile.FirstName = "Augusta"
	_, err = s2.Update(ctx, cur)
	assert.NoError(t, err)
}

// killedWriterEnv makes TestDurability_KilledWriterChild the writer process.
const killedWriterEnv = "PROFILE_SQLITE_KILLED_WRITER_DB"

// TestDurability_KilledWriterChild is the process that TestDurability_
// KilledWriterLeavesPreviousState kills in the middle of a transaction.
func TestDurability_KilledWriterChild(t *testing.T) {
	path := os.Getenv(killedWriterEnv)
	if path == "" {
		t.Skip("child process of TestDurability_KilledWriterLeavesPreviousState only")
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Config{})
	require.NoError(t, err)
	cur, err := s.Get(ctx, "ada")
	require.NoError(t, err)
	s.beforeCommit = func() {
		fmt.Println("IN-TRANSACTION")
		select {} // wait for SIGKILL
	}
	cur.Profile.FirstName = "half-written"
	cur.Token.Digest = stored("x", 99).Token.Digest
	_, _ = s.Update(ctx, cur)
	t.Fatal("the writer was not killed")
}

func TestDurability_KilledWriterLeavesPreviousState(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	require.NoError(t, s.Create(ctx, stored("ada", 10)))
	before, err := s.Get(ctx, "ada")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestDurability_KilledWriterChild$")
	cmd.Env = append(os.Environ(), killedWriterEnv+"="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "IN-TRANSACTION" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		require.True(t, ok, "the writer ended without reaching its transaction")
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the writer did not reach its transaction")
	}
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	s2 := reopen(t, path)
	got, err := s2.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, before, got, "the killed write must leave the previous record")
	_, err = s2.GetByToken(ctx, stored("x", 99).Token.Digest)
	assert.ErrorIs(t, err, profile.ErrNotFound)
	// The dead writer's lock is gone: the next write goes through at once.
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	before.Profile.FirstName = "Augusta"
	_, err = s2.Update(wctx, before)
	assert.NoError(t, err)
}

func TestOpen_ReopenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	require.NoError(t, s.Create(ctx, stored("ada", 10)))
	require.NoError(t, s.Close())
	for range 3 {
		s := reopen(t, path)
		_, err := s.Get(ctx, "ada")
		require.NoError(t, err)
		var version, n int
		require.NoError(t, s.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM profile_schema_version`).Scan(&n, &version))
		assert.Equal(t, 1, n)
		assert.Equal(t, 1, version)
		require.NoError(t, s.Close())
	}
}

func TestOpen_ConcurrentOpensOfANewFileAllSucceed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	const n = 6
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), path, Config{}) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "instance %d", i)
		defer stores[i].Close()
	}
	ctx := context.Background()
	require.NoError(t, stores[0].Create(ctx, stored("ada", 10)))
	for i := range n {
		_, err := stores[i].Get(ctx, "ada")
		assert.NoError(t, err, "instance %d sees the record", i)
	}
}

func TestOpen_RefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	_, err := s.db.ExecContext(ctx, `UPDATE profile_schema_version SET version = 99`)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = Open(ctx, path, Config{})
	assert.ErrorContains(t, err, "schema version 99 is newer")
}

func TestOpen_RefusesNonFilePaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", "a?b.db"} {
		_, err := Open(context.Background(), p, Config{})
		assert.Error(t, err, "%q", p)
	}
}

// TestTwoStoresOnOneFile_ConcurrentCASLosesNothing runs two Stores, as two
// processes would, over one file: their writers meet only in SQLite's lock,
// where the busy timeout makes them wait instead of failing.
func TestTwoStoresOnOneFile_ConcurrentCASLosesNothing(t *testing.T) {
	ctx := context.Background()
	a, path := openTemp(t)
	b := reopen(t, path)
	require.NoError(t, a.Create(ctx, profile.Record{UserID: "u"}))
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers)
	for _, s := range []*Store{a, b} {
		for range workers {
			wg.Go(func() {
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
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := a.Get(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, int64(2*workers*each), got.ProfileVersion, "lost updates")
}

func TestSchema_HostCanQueryTypedColumns(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	rec := stored("ada", 10)
	require.NoError(t, s.Create(ctx, rec))
	var email, lang, created string
	var rev int64
	var digest []byte
	require.NoError(t, s.db.QueryRowContext(ctx,
		`SELECT email, language, revision, created_at, token_digest FROM profile_records WHERE user_id = 'ada'`).
		Scan(&email, &lang, &rev, &created, &digest))
	assert.Equal(t, "ada@example.com", email)
	assert.Equal(t, "en-GB", lang)
	assert.Equal(t, int64(1), rev)
	assert.Equal(t, "2023-11-14T22:13:23.654321Z", created)
	assert.Equal(t, rec.Token.Digest[:], digest)
}
