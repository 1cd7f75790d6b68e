package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// instances returns two Services, each on its own connection pool (as two
// application instances would be), over one fresh schema.
func instances(t *testing.T, cfg profile.Config) (a, b *profile.Service) {
	t.Helper()
	poolA, poolB := newPool(t), newPool(t)
	schema := freshSchema(t, poolA)
	ctx := context.Background()
	var stores [2]*Store
	var errs [2]error
	var wg sync.WaitGroup
	for i, pool := range [2]*pgxpool.Pool{poolA, poolB} {
		wg.Go(func() { stores[i], errs[i] = New(ctx, pool, Config{Schema: schema}) }) // both migrate at once
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	var err error
	cfg.Store = stores[0]
	a, err = profile.New(cfg)
	require.NoError(t, err)
	cfg.Store = stores[1]
	b, err = profile.New(cfg)
	require.NoError(t, err)
	return a, b
}

// tinyHashing keeps argon2id cheap in tests.
var tinyHashing = profile.HashingConfig{Memory: 64, Time: 1, Threads: 1}

// TestManyInstances_ConcurrentProfileUpdatesLoseNothing has goroutines on
// two instances update one profile without a version (the Service retries
// on conflict). Each goroutine owns one attribute and writes 1, 2, ... n to
// it: a lost update shows as an attribute short of n, or as a profile
// version short of the number of updates.
func TestManyInstances_ConcurrentProfileUpdatesLoseNothing(t *testing.T) {
	const perInstance, each = 8, 10
	var attrs []profile.AttributeSpec
	for i := range 2 * perInstance {
		attrs = append(attrs, profile.AttributeSpec{Name: fmt.Sprintf("w%d", i)})
	}
	a, b := instances(t, profile.Config{Attributes: attrs, Hashing: tinyHashing})
	ctx := context.Background()
	require.NoError(t, a.CreateUser(ctx, "u", profile.Profile{FirstName: "U", Email: "u@example.com"}))

	var wg sync.WaitGroup
	errs := make(chan error, 2*perInstance)
	for i := range 2 * perInstance {
		svc := a
		if i%2 == 1 {
			svc = b
		}
		wg.Go(func() {
			name := fmt.Sprintf("w%d", i)
			for k := 1; k <= each; k++ {
				u := profile.ProfileUpdate{Attributes: map[string]string{name: strconv.Itoa(k)}}
				if _, err := svc.UpdateProfile(ctx, "u", u); err != nil {
					errs <- fmt.Errorf("%s=%d: %w", name, k, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, svc := range []*profile.Service{a, b} {
		view, err := svc.GetProfile(ctx, "u")
		require.NoError(t, err)
		for i := range 2 * perInstance {
			name := fmt.Sprintf("w%d", i)
			assert.Equal(t, strconv.Itoa(each), view.Profile.Attributes[name], "attribute %s lost an update", name)
		}
		assert.Equal(t, int64(1+2*perInstance*each), view.Version, "every update must move the version once")
	}
}

// TestManyInstances_RegeneratedTokenFailsAtOnceOnTheOther regenerates the
// token through one instance and authenticates through the other.
func TestManyInstances_RegeneratedTokenFailsAtOnceOnTheOther(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	a, b := instances(t, profile.Config{Policy: &pol, Hashing: tinyHashing})
	ctx := context.Background()
	require.NoError(t, a.CreateUser(ctx, "u", profile.Profile{FirstName: "U", Email: "u@example.com"}))

	first, err := a.RegenerateToken(ctx, "u")
	require.NoError(t, err)
	id, err := b.Authenticate(ctx, first.Plaintext())
	require.NoError(t, err, "a token made on one instance works on the other")
	assert.Equal(t, "u", id)

	second, err := b.RegenerateToken(ctx, "u")
	require.NoError(t, err)
	for name, svc := range map[string]*profile.Service{"a": a, "b": b} {
		_, err = svc.Authenticate(ctx, first.Plaintext())
		assert.ErrorIs(t, err, profile.ErrInvalidToken, "instance %s still accepts the replaced token", name)
		id, err = svc.Authenticate(ctx, second.Plaintext())
		require.NoError(t, err, "instance %s", name)
		assert.Equal(t, "u", id)
	}
}

// TestManyInstances_WrongPasswordLimitHoldsAcrossInstances sends wrong
// current passwords from many goroutines on two instances at once: no more
// than MaxAttempts are verified, the rest are refused as too many.
func TestManyInstances_WrongPasswordLimitHoldsAcrossInstances(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Password.MaxAttempts = 3
	a, b := instances(t, profile.Config{Policy: &pol, Hashing: tinyHashing})
	ctx := context.Background()
	require.NoError(t, a.CreateUser(ctx, "u", profile.Profile{FirstName: "U", Email: "u@example.com"}))
	require.NoError(t, a.SetPassword(ctx, "u", "Correct-Horse-42"))

	const perInstance = 10
	var invalid, tooMany atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 2*perInstance)
	for i := range 2 * perInstance {
		svc := a
		if i%2 == 1 {
			svc = b
		}
		wg.Go(func() {
			err := svc.ChangePassword(ctx, "u", profile.PasswordChange{
				Current: fmt.Sprintf("Wrong-Guess-%02d", i), New: "Brand-New-Pass-7", Confirm: "Brand-New-Pass-7",
			})
			switch {
			case errors.Is(err, profile.ErrInvalidCredentials):
				invalid.Add(1)
			case errors.Is(err, profile.ErrTooManyAttempts):
				tooMany.Add(1)
			default:
				errs <- fmt.Errorf("guess %d: want ErrInvalidCredentials or ErrTooManyAttempts, got %v", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.LessOrEqual(t, int(invalid.Load()), pol.Password.MaxAttempts, "wrong passwords verified beyond the limit")
	assert.Positive(t, invalid.Load(), "the first guesses must be verified")
	assert.Equal(t, int32(2*perInstance), invalid.Load()+tooMany.Load())
	// The limit holds on both instances afterwards, even for the right password.
	for name, svc := range map[string]*profile.Service{"a": a, "b": b} {
		err := svc.ChangePassword(ctx, "u", profile.PasswordChange{Current: "Correct-Horse-42", New: "Brand-New-Pass-7", Confirm: "Brand-New-Pass-7"})
		assert.ErrorIs(t, err, profile.ErrTooManyAttempts, "instance %s", name)
	}
}
