package sqlite

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// service returns a Service over s with every tab on, a password history, a
// token key ring and cheap hashing; the same configuration each call, as a
// restarted application would have.
func service(t *testing.T, s *Store) *profile.Service {
	t.Helper()
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	pol.Password.History = 3
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	svc, err := profile.New(profile.Config{
		Store:     s,
		Policy:    &pol,
		Hashing:   profile.HashingConfig{Memory: 64, Time: 1, Threads: 1},
		TokenKeys: []profile.TokenKey{{ID: "test", Key: key}},
	})
	require.NoError(t, err)
	return svc
}

// TestDurability_ServiceStateSurvivesReopen writes a profile, a password
// (with history) and a token through the Service, restarts on the same
// file, and finds each working.
func TestDurability_ServiceStateSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	svc := service(t, s)
	require.NoError(t, svc.CreateUser(ctx, "ada", profile.Profile{FirstName: "Ada", Email: "ada@example.com"}))
	last := "Lovelace"
	_, err := svc.UpdateProfile(ctx, "ada", profile.ProfileUpdate{LastName: &last})
	require.NoError(t, err)
	require.NoError(t, svc.SetPassword(ctx, "ada", "First-Pass-11"))
	require.NoError(t, svc.ChangePassword(ctx, "ada", profile.PasswordChange{Current: "First-Pass-11", New: "Second-Pass-22", Confirm: "Second-Pass-22"}))
	tok, err := svc.RegenerateToken(ctx, "ada")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	svc = service(t, reopen(t, path))
	view, err := svc.GetProfile(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, "Lovelace", view.Profile.LastName)
	assert.NoError(t, svc.VerifyPassword(ctx, "ada", "Second-Pass-22"), "the hash survives")
	assert.ErrorIs(t, svc.VerifyPassword(ctx, "ada", "First-Pass-11"), profile.ErrInvalidCredentials)
	err = svc.ChangePassword(ctx, "ada", profile.PasswordChange{Current: "Second-Pass-22", New: "First-Pass-11", Confirm: "First-Pass-11"})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve, "the history survives: the old password is refused as reused")
	id, err := svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err, "the token survives")
	assert.Equal(t, "ada", id)
	again, err := svc.RevealToken(ctx, "ada")
	require.NoError(t, err, "the sealed copy survives")
	assert.Equal(t, tok.Plaintext(), again.Plaintext())
}
