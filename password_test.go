package profile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// tinyHashing keeps argon2id cheap in tests.
var tinyHashing = profile.HashingConfig{Memory: 64, Time: 1, Threads: 1}

const (
	alicePW = "Initial-pass-1"
	newPW   = "Brand-new-2nd"
)

type fixture struct {
	svc    *profile.Service
	store  *memory.Store
	hashes atomic.Int64

	mu     sync.Mutex
	now    time.Time
	events []profile.Event
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fixture) eventKinds() []profile.EventKind {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []profile.EventKind
	for _, e := range f.events {
		out = append(out, e.Kind)
	}
	return out
}

func (f *fixture) record(t *testing.T, userID string) profile.Record {
	t.Helper()
	rec, err := f.store.Get(context.Background(), userID)
	require.NoError(t, err)
	return rec
}

// newFixture builds a Service whose policy enables every tab and asks for a
// digit and a 3-password history, with alice (local, password alicePW)
// and bob (SSO). mod may change the Config first.
func newFixture(t *testing.T, mod func(*profile.Config)) *fixture {
	t.Helper()
	f := &fixture{store: memory.New(), now: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	pol.Password.MinDigit = 1
	pol.Password.History = 3
	cfg := profile.Config{
		Store:   f.store,
		Policy:  &pol,
		Hashing: tinyHashing,
		Clock:   f.clock,
		Identity: profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
			return profile.Identity{SSO: userID == "bob", Provider: "Okta"}, nil
		}),
		Events: func(_ context.Context, e profile.Event) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.events = append(f.events, e)
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	svc, err := profile.New(cfg)
	require.NoError(t, err)
	f.svc = svc
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "alice", alice))
	require.NoError(t, svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob", Email: "bob@corp.example"}))
	require.NoError(t, svc.SetPassword(ctx, "alice", alicePW))
	profile.SetHashHook(svc, func() { f.hashes.Add(1) })
	f.mu.Lock()
	f.events = nil
	f.mu.Unlock()
	return f
}

func change(cur, next string) profile.PasswordChange {
	return profile.PasswordChange{Current: cur, New: next, Confirm: next}
}

// assertPasswordUnchanged checks that the stored hash and history are
// those of before.
func assertPasswordUnchanged(t *testing.T, before, after profile.Record) {
	t.Helper()
	assert.Equal(t, before.Password.Hash, after.Password.Hash, "hash changed")
	assert.Equal(t, before.Password.History, after.Password.History, "history changed")
	assert.True(t, before.Password.ChangedAt.Equal(after.Password.ChangedAt), "ChangedAt changed")
}

func TestChangePassword_Succeeds(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	before := f.record(t, "alice")
	f.advance(time.Hour)

	require.NoError(t, f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW)))

	after := f.record(t, "alice")
	assert.True(t, strings.HasPrefix(after.Password.Hash, "$argon2id$v=19$m=64,t=1,p=1$"))
	assert.NotEqual(t, before.Password.Hash, after.Password.Hash)
	assert.Equal(t, []string{before.Password.Hash}, after.Password.History)
	assert.True(t, after.Password.ChangedAt.Equal(f.clock()))
	assert.Zero(t, after.Password.FailedAttempts)
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", newPW))
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", alicePW), profile.ErrInvalidCredentials)
}

func TestChangePassword_EmitsEventWithoutSecret(t *testing.T) {
	f := newFixture(t, nil)
	require.NoError(t, f.svc.ChangePassword(context.Background(), "alice", change(alicePW, newPW)))
	f.mu.Lock()
	defer f.mu.Unlock()
	require.Len(t, f.events, 1)
	e := f.events[0]
	assert.Equal(t, profile.EventPasswordChanged, e.Kind)
	assert.Equal(t, "alice", e.UserID)
	assert.Empty(t, e.Fields)
	dump := fmt.Sprintf("%+v", e)
	assert.NotContains(t, dump, newPW)
	assert.NotContains(t, dump, alicePW)
	assert.NotContains(t, dump, "argon2")
}

func TestChangePassword_SSOAccountIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "bob")
	err := f.svc.ChangePassword(context.Background(), "bob", change("whatever-1", newPW))
	assert.Equal(t, profile.ErrSSOManaged, err, "returned unwrapped")
	assert.Equal(t, "Your account uses Single Sign On (SSO). Password is managed by your organization.", err.Error())
	assert.Zero(t, f.hashes.Load(), "no hashing for an SSO account")
	assert.Equal(t, before, f.record(t, "bob"))
	assert.Empty(t, f.eventKinds())
}

func TestPasswordOperations_SSOAccountIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	before := f.record(t, "bob")
	for name, err := range map[string]error{
		"SetPassword":    f.svc.SetPassword(ctx, "bob", newPW),
		"VerifyPassword": f.svc.VerifyPassword(ctx, "bob", newPW),
		"CheckPassword":  f.svc.CheckPassword(ctx, "bob", newPW),
	} {
		assert.Equal(t, profile.ErrSSOManaged, err, name)
	}
	assert.Zero(t, f.hashes.Load())
	assert.Equal(t, before, f.record(t, "bob"))
}

func disablePasswordTab(c *profile.Config) {
	pol := *c.Policy
	pol.Features.Password = false
	c.Policy = &pol
}

func TestChangePassword_FeatureDisabled(t *testing.T) {
	f := newFixture(t, disablePasswordTab)
	ctx := context.Background()
	before := f.record(t, "alice")
	assert.ErrorIs(t, f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW)), profile.ErrFeatureDisabled)
	assert.ErrorIs(t, f.svc.ChangePassword(ctx, "bob", change(alicePW, newPW)), profile.ErrFeatureDisabled, "before the SSO check")
	assert.ErrorIs(t, f.svc.CheckPassword(ctx, "alice", newPW), profile.ErrFeatureDisabled)
	assert.Zero(t, f.hashes.Load())
	assert.Equal(t, before, f.record(t, "alice"))
}

func TestHostPasswordOperations_WorkWhenTabIsDisabled(t *testing.T) {
	// The Password tab switch governs the page; sign-in and an
	// administrator's reset keep working.
	f := newFixture(t, disablePasswordTab)
	ctx := context.Background()
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", alicePW))
	assert.NoError(t, f.svc.SetPassword(ctx, "alice", newPW))
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", newPW))
}

func TestChangePassword_InvalidUserIDComesFirst(t *testing.T) {
	called := false
	f := newFixture(t, func(c *profile.Config) {
		c.PolicyFor = func(context.Context, string) (profile.Policy, error) {
			called = true
			return profile.DefaultPolicy(), nil
		}
	})
	called = false
	assert.ErrorIs(t, f.svc.ChangePassword(context.Background(), "", change(alicePW, newPW)), profile.ErrInvalidUserID)
	assert.False(t, called)
}

func TestChangePassword_WrongCurrentPassword(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	err := f.svc.ChangePassword(context.Background(), "alice", change("Wrong-pass-9", newPW))
	assert.ErrorIs(t, err, profile.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "Wrong-pass-9")
	after := f.record(t, "alice")
	assertPasswordUnchanged(t, before, after)
	assert.Equal(t, 1, after.Password.FailedAttempts, "the wrong attempt is counted")
	assert.Empty(t, f.eventKinds())
}

func TestChangePassword_WrongCurrentComesBeforeRuleChecks(t *testing.T) {
	f := newFixture(t, nil)
	err := f.svc.ChangePassword(context.Background(), "alice", profile.PasswordChange{Current: "Wrong-pass-9", New: "short", Confirm: "other"})
	assert.ErrorIs(t, err, profile.ErrInvalidCredentials)
	var ve *profile.ValidationError
	assert.False(t, errors.As(err, &ve))
}

func TestChangePassword_EmptyCurrentIsRequired(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	err := f.svc.ChangePassword(context.Background(), "alice", change("", newPW))
	v := violation(t, err, "required")
	assert.Equal(t, profile.FieldCurrentPassword, v.Field)
	assert.Equal(t, "Enter your current password.", v.Message)
	assert.Zero(t, f.hashes.Load())
	assert.Equal(t, before, f.record(t, "alice"))
}

func TestChangePassword_TooManyAttempts(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	for i := range profile.DefaultMaxAttempts {
		assert.ErrorIs(t, f.svc.ChangePassword(ctx, "alice", change(fmt.Sprintf("Wrong-pass-%d", i), newPW)), profile.ErrInvalidCredentials)
	}
	before := f.record(t, "alice")
	hashes := f.hashes.Load()

	err := f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW))
	assert.ErrorIs(t, err, profile.ErrTooManyAttempts, "even the right password waits for the window")
	assert.Equal(t, hashes, f.hashes.Load(), "no verification once the window is full")
	assert.Equal(t, before, f.record(t, "alice"))

	f.advance(profile.DefaultAttemptWindow - time.Second)
	assert.ErrorIs(t, f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW)), profile.ErrTooManyAttempts)
	f.advance(time.Second)
	assert.NoError(t, f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW)))
	assert.Zero(t, f.record(t, "alice").Password.FailedAttempts)
}

func TestChangePassword_RightCurrentResetsTheAttemptCount(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	for range profile.DefaultMaxAttempts - 1 {
		require.ErrorIs(t, f.svc.ChangePassword(ctx, "alice", change("Wrong-pass-1", newPW)), profile.ErrInvalidCredentials)
	}
	err := f.svc.ChangePassword(ctx, "alice", change(alicePW, "short"))
	require.Error(t, err)
	assert.NotErrorIs(t, err, profile.ErrInvalidCredentials)
	assert.Zero(t, f.record(t, "alice").Password.FailedAttempts)
}

func TestChangePassword_ParallelGuessesGetAtMostMaxAttemptsVerifications(t *testing.T) {
	f := newFixture(t, nil)
	const goroutines = 50
	var wg sync.WaitGroup
	var invalid, tooMany, other atomic.Int64
	start := make(chan struct{})
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := f.svc.ChangePassword(context.Background(), "alice", change(fmt.Sprintf("Guess-%02d-x", i), newPW))
			switch {
			case errors.Is(err, profile.ErrInvalidCredentials):
				invalid.Add(1)
			case errors.Is(err, profile.ErrTooManyAttempts):
				tooMany.Add(1)
			default:
				other.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	assert.LessOrEqual(t, f.hashes.Load(), int64(profile.DefaultMaxAttempts), "hash computations")
	assert.Equal(t, int64(profile.DefaultMaxAttempts), invalid.Load())
	assert.Equal(t, int64(goroutines-profile.DefaultMaxAttempts), tooMany.Load())
	assert.Zero(t, other.Load())
	assert.Equal(t, profile.DefaultMaxAttempts, f.record(t, "alice").Password.FailedAttempts)
}

func TestVerifyPassword_ParallelGuessesGetAtMostMaxAttemptsVerifications(t *testing.T) {
	f := newFixture(t, nil)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_ = f.svc.VerifyPassword(context.Background(), "alice", fmt.Sprintf("Guess-%02d-x", i))
		}()
	}
	close(start)
	wg.Wait()
	assert.LessOrEqual(t, f.hashes.Load(), int64(profile.DefaultMaxAttempts))
	assert.ErrorIs(t, f.svc.VerifyPassword(context.Background(), "alice", alicePW), profile.ErrTooManyAttempts)
}

func TestChangePassword_ConfirmMismatch(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	err := f.svc.ChangePassword(context.Background(), "alice", profile.PasswordChange{Current: alicePW, New: newPW, Confirm: newPW + "x"})
	assert.ErrorIs(t, err, profile.ErrPasswordMismatch)
	v := violation(t, err, "mismatch")
	assert.Equal(t, profile.FieldConfirmPassword, v.Field)
	assert.Equal(t, "The new password and its confirmation do not match.", v.Message)
	assertPasswordUnchanged(t, before, f.record(t, "alice"))
	assert.Empty(t, f.eventKinds())
}

func TestChangePassword_NewEqualToCurrent(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	err := f.svc.ChangePassword(context.Background(), "alice", change(alicePW, alicePW))
	v := violation(t, err, "same_as_current")
	assert.Equal(t, "The new password must be different from the current one.", v.Message)
	assertPasswordUnchanged(t, before, f.record(t, "alice"))
}

func TestChangePassword_EveryViolationAtOnce(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	err := f.svc.ChangePassword(context.Background(), "alice", profile.PasswordChange{Current: alicePW, New: "Zalicez", Confirm: "Zalicey"})
	assert.Equal(t, []string{"mismatch", "min_length", "min_digit", "personal_info"}, rules(t, err))
	assert.ErrorIs(t, err, profile.ErrPasswordMismatch)
	assertPasswordUnchanged(t, before, f.record(t, "alice"))
}

func TestChangePassword_HistoryRefusesTheLastPasswords(t *testing.T) {
	f := newFixture(t, nil) // History: 3
	ctx := context.Background()
	seq := []string{alicePW, "Second-pass-2", "Third-pass-3", "Fourth-pass-4", "Fifth-pass-5"}
	for i := 1; i < len(seq); i++ {
		require.NoError(t, f.svc.ChangePassword(ctx, "alice", change(seq[i-1], seq[i])))
	}
	rec := f.record(t, "alice")
	assert.Len(t, rec.Password.History, 3, "history keeps the last 3 hashes")

	for _, old := range seq[2:4] { // within the last 3
		err := f.svc.ChangePassword(ctx, "alice", change("Fifth-pass-5", old))
		v := violation(t, err, "reused")
		assert.Equal(t, map[string]any{"count": 3}, v.Params)
		assert.Equal(t, "Choose a password different from your last 3 passwords.", v.Message)
	}
	assertPasswordUnchanged(t, rec, f.record(t, "alice"))
	// alicePW was 4 changes ago: allowed again.
	assert.NoError(t, f.svc.ChangePassword(ctx, "alice", change("Fifth-pass-5", alicePW)))
}

func TestChangePassword_ConcurrentChangeIsAConflict(t *testing.T) {
	// Two tabs change the password at once with the right current password:
	// exactly one wins, the other gets ErrConflict or ErrInvalidCredentials,
	// and the stored hash is the winner's.
	f := newFixture(t, nil)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.svc.ChangePassword(context.Background(), "alice", change(alicePW, fmt.Sprintf("Winner-pass-%d", i)))
		}()
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		if err == nil {
			wins++
			assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", fmt.Sprintf("Winner-pass-%d", i)))
		} else {
			assert.True(t, errors.Is(err, profile.ErrConflict) || errors.Is(err, profile.ErrInvalidCredentials), "%v", err)
		}
	}
	assert.Equal(t, 1, wins)
}

func TestChangePassword_CancelledContextChangesNothing(t *testing.T) {
	f := newFixture(t, nil)
	before := f.record(t, "alice")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, f.svc.ChangePassword(ctx, "alice", change(alicePW, newPW)), context.Canceled)
	assertPasswordUnchanged(t, before, f.record(t, "alice"))
}

func TestChangePassword_UnknownUser(t *testing.T) {
	f := newFixture(t, nil)
	assert.ErrorIs(t, f.svc.ChangePassword(context.Background(), "carol", change(alicePW, newPW)), profile.ErrNotFound)
}

func TestChangePassword_FromImportedBcryptHash(t *testing.T) {
	f := newFixture(t, nil)
	setHash(t, f, "alice", bcryptHash(t, "Imported-pw-1"))
	require.NoError(t, f.svc.ChangePassword(context.Background(), "alice", change("Imported-pw-1", newPW)))
	assert.True(t, strings.HasPrefix(f.record(t, "alice").Password.Hash, "$argon2id$"))
}

func bcryptHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	require.NoError(t, err)
	return string(h)
}

// setHash stores hash as the user's password hash, as an import would.
func setHash(t *testing.T, f *fixture, userID, hash string) {
	t.Helper()
	rec := f.record(t, userID)
	rec.Password.Hash = hash
	_, err := f.store.Update(context.Background(), rec)
	require.NoError(t, err)
}

func TestVerifyPassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", alicePW))
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", "Initial-pass-2"), profile.ErrInvalidCredentials)
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", ""), profile.ErrInvalidCredentials)
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", "bad\xff"), profile.ErrInvalidCredentials)
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "carol", alicePW), profile.ErrInvalidCredentials, "unknown user")
	require.NoError(t, f.svc.CreateUser(ctx, "dave", profile.Profile{FirstName: "Dave"}))
	assert.ErrorIs(t, f.svc.VerifyPassword(ctx, "dave", ""), profile.ErrInvalidCredentials, "no password yet")
	assert.ErrorIs(t, f.svc.ChangePassword(ctx, "dave", change("anything-1", newPW)), profile.ErrInvalidCredentials, "no password yet")
}

func TestVerifyPassword_NormalisesLikeSetPassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	require.NoError(t, f.svc.SetPassword(ctx, "alice", "Café\u3000olé-42"))
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", "Cafe\u0301 ole\u0301-42"), "NFD and an ideographic space verify the same")
}

func TestVerifyPassword_SuccessResetsTheAttemptCount(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	require.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", "Wrong-pass-1"), profile.ErrInvalidCredentials)
	require.Equal(t, 1, f.record(t, "alice").Password.FailedAttempts)
	require.NoError(t, f.svc.VerifyPassword(ctx, "alice", alicePW))
	assert.Zero(t, f.record(t, "alice").Password.FailedAttempts)
}

func TestVerifyPassword_RehashesBcrypt(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	old := bcryptHash(t, "Imported-pw-1")
	setHash(t, f, "alice", old)

	require.ErrorIs(t, f.svc.VerifyPassword(ctx, "alice", "Imported-pw-2"), profile.ErrInvalidCredentials)
	assert.Equal(t, old, f.record(t, "alice").Password.Hash, "a failure does not rehash")

	require.NoError(t, f.svc.VerifyPassword(ctx, "alice", "Imported-pw-1"))
	got := f.record(t, "alice").Password.Hash
	assert.True(t, strings.HasPrefix(got, "$argon2id$v=19$m=64,t=1,p=1$"), got)
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", "Imported-pw-1"))
	assert.Equal(t, got, f.record(t, "alice").Password.Hash, "a current hash is not rehashed")
}

func TestVerifyPassword_AcceptsEveryBcryptPrefix(t *testing.T) {
	f := newFixture(t, nil)
	h := bcryptHash(t, "Imported-pw-1")
	for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
		setHash(t, f, "alice", prefix+h[4:])
		assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", "Imported-pw-1"), prefix)
	}
}

func TestVerifyPassword_BcryptDoesNotTruncatePast72Bytes(t *testing.T) {
	f := newFixture(t, nil)
	long := strings.Repeat("Long-pass-9 ", 7) // 84 bytes
	h, err := bcrypt.GenerateFromPassword([]byte(long[:72]), bcrypt.MinCost)
	require.NoError(t, err)
	setHash(t, f, "alice", string(h))
	assert.ErrorIs(t, f.svc.VerifyPassword(context.Background(), "alice", long), profile.ErrInvalidCredentials,
		"bcrypt would accept any password sharing the first 72 bytes")
	assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", long[:72]))
}

func TestVerifyPassword_RehashesOldArgon2Parameters(t *testing.T) {
	store := memory.New()
	ctx := context.Background()
	old, err := profile.New(profile.Config{Store: store, Hashing: profile.HashingConfig{Memory: 32, Time: 1, Threads: 1}})
	require.NoError(t, err)
	require.NoError(t, old.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice"}))
	require.NoError(t, old.SetPassword(ctx, "alice", alicePW))
	rec, err := store.Get(ctx, "alice")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(rec.Password.Hash, "$argon2id$v=19$m=32,t=1,p=1$"))

	upgraded, err := profile.New(profile.Config{Store: store, Hashing: profile.HashingConfig{Memory: 64, Time: 2, Threads: 1}})
	require.NoError(t, err)
	require.ErrorIs(t, upgraded.VerifyPassword(ctx, "alice", "Wrong-pass-1"), profile.ErrInvalidCredentials)
	rec, _ = store.Get(ctx, "alice")
	require.True(t, strings.HasPrefix(rec.Password.Hash, "$argon2id$v=19$m=32,t=1,p=1$"), "a failure does not rehash")

	require.NoError(t, upgraded.VerifyPassword(ctx, "alice", alicePW))
	rec, err = store.Get(ctx, "alice")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(rec.Password.Hash, "$argon2id$v=19$m=64,t=2,p=1$"), rec.Password.Hash)
	assert.NoError(t, upgraded.VerifyPassword(ctx, "alice", alicePW))
}

func TestVerifyPassword_MalformedStoredHashIsRefusedWithoutPanic(t *testing.T) {
	f := newFixture(t, nil)
	for _, h := range []string{
		"$argon2id$v=19$m=4294967295,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY",
		"$argon2id$v=19$m=64,t=0,p=0$$",
		"$2b$31$abcdefghijklmnopqrstuuJ2sb0r6mZ8bRYbTxaNzJ3g1eVf4w8m", // cost 31: a CPU bomb
		"$2b$xx$abcdefghijklmnopqrstuuJ2sb0r6mZ8bRYbTxaNzJ3g1eVf4w8m",
		"plaintext",
	} {
		setHash(t, f, "alice", h)
		f.hashes.Store(0)
		assert.NotPanics(t, func() {
			assert.ErrorIs(t, f.svc.VerifyPassword(context.Background(), "alice", alicePW), profile.ErrInvalidCredentials, h)
		})
		assert.Equal(t, int64(1), f.hashes.Load(), "one dummy computation for %q", h)
		f.advance(time.Hour) // a fresh attempt window
	}
}

// TestPasswordVerification_SameHashCountForWrongAndRight is the
// timing-safety check: whatever the input or the account, one verification
// runs exactly one hash computation.
func TestPasswordVerification_SameHashCountForWrongAndRight(t *testing.T) {
	f := newFixture(t, func(c *profile.Config) {
		pol := *c.Policy
		pol.Password.History = 0
		c.Policy = &pol
	})
	ctx := context.Background()
	require.NoError(t, f.svc.CreateUser(ctx, "dave", profile.Profile{FirstName: "Dave"}))
	count := func(fn func() error) int64 {
		f.hashes.Store(0)
		_ = fn()
		f.advance(time.Hour)
		return f.hashes.Load()
	}
	// ChangePassword: right and wrong current, the new password refused so
	// that no new hash is computed.
	refused := profile.PasswordChange{New: "short", Confirm: "short"}
	right, wrong := refused, refused
	right.Current, wrong.Current = alicePW, "Wrong-pass-1"
	cases := map[string]int64{
		"change, right current": count(func() error { return f.svc.ChangePassword(ctx, "alice", right) }),
		"change, wrong current": count(func() error { return f.svc.ChangePassword(ctx, "alice", wrong) }),
		"change, invalid UTF-8": count(func() error {
			return f.svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "\xff", New: "x"})
		}),
		"verify, right":         count(func() error { return f.svc.VerifyPassword(ctx, "alice", alicePW) }),
		"verify, wrong":         count(func() error { return f.svc.VerifyPassword(ctx, "alice", "Wrong-pass-1") }),
		"verify, unknown user":  count(func() error { return f.svc.VerifyPassword(ctx, "carol", alicePW) }),
		"verify, no password":   count(func() error { return f.svc.VerifyPassword(ctx, "dave", alicePW) }),
		"verify, over byte cap": count(func() error { return f.svc.VerifyPassword(ctx, "alice", strings.Repeat("x", 5000)) }),
	}
	setHash(t, f, "alice", bcryptHash(t, alicePW))
	cases["verify bcrypt, wrong"] = count(func() error { return f.svc.VerifyPassword(ctx, "alice", "Wrong-pass-1") })
	cases["verify bcrypt, over 72 bytes"] = count(func() error { return f.svc.VerifyPassword(ctx, "alice", strings.Repeat("x", 80)) })
	for name, n := range cases {
		assert.Equal(t, int64(1), n, name)
	}
}

func TestSetPassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	before := f.record(t, "alice")
	require.NoError(t, f.svc.SetPassword(ctx, "alice", newPW))
	after := f.record(t, "alice")
	assert.Equal(t, []string{before.Password.Hash}, after.Password.History)
	assert.Equal(t, []profile.EventKind{profile.EventPasswordChanged}, f.eventKinds())
	assert.NoError(t, f.svc.VerifyPassword(ctx, "alice", newPW))
}

func TestSetPassword_EnforcesRulesButNotHistory(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	before := f.record(t, "alice")
	err := f.svc.SetPassword(ctx, "alice", "password")
	assert.Equal(t, []string{"min_digit", "common"}, rules(t, err))
	assertPasswordUnchanged(t, before, f.record(t, "alice"))
	assert.NoError(t, f.svc.SetPassword(ctx, "alice", alicePW), "reuse is allowed for an administrator's reset")
}

func TestSetPassword_UnknownUser(t *testing.T) {
	f := newFixture(t, nil)
	assert.ErrorIs(t, f.svc.SetPassword(context.Background(), "carol", newPW), profile.ErrNotFound)
}

func TestCheckPassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	assert.NoError(t, f.svc.CheckPassword(ctx, "alice", newPW))
	err := f.svc.CheckPassword(ctx, "alice", "Zalicez")
	assert.Equal(t, []string{"min_length", "min_digit", "personal_info"}, rules(t, err))
	assert.Zero(t, f.hashes.Load(), "checking never hashes")
	assert.ErrorIs(t, f.svc.CheckPassword(ctx, "carol", newPW), profile.ErrNotFound)
}

func TestPage_PasswordTab(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	require.NotNil(t, page.Password)
	assert.True(t, page.Password.CanChange)
	assert.Equal(t, []string{
		"At least 8 characters",
		"At most 64 characters",
		"At least 1 digit",
		"Does not contain your name, username or email address",
		"Different from your last 3 passwords",
		"Not a commonly used password",
	}, page.Password.Rules)

	page, err = f.svc.Page(ctx, "bob")
	require.NoError(t, err)
	require.NotNil(t, page.Password)
	assert.False(t, page.Password.CanChange)
	assert.True(t, page.Password.SSO)
	assert.Equal(t, profile.SSOMessage, page.Password.Message)
	assert.Empty(t, page.Password.Rules)
}

func TestPasswordChange_StringIsRedacted(t *testing.T) {
	c := change(alicePW, newPW)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", &c)} {
		assert.NotContains(t, s, alicePW)
		assert.NotContains(t, s, newPW)
	}
}
