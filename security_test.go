package profile_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// Tests named by SECURITY.md for requirements no other test states alone.

func TestValidate_SixtyFourCharacterPassphraseIsAccepted(t *testing.T) {
	// NIST SP 800-63B: at least 64 characters permitted, spaces and
	// Unicode included, no composition rule by default.
	pw := "the quick brown fox, née Zoë, jumps over 日本の lazy dogs once more"
	require.Equal(t, 64, utf8.RuneCountInString(pw))
	assert.NoError(t, profile.PasswordPolicy{}.Validate(pw, alice))
	assert.NoError(t, profile.PasswordPolicy{}.Validate(strings.ToLower("correct horse battery staple"), alice))
}

func TestVerifyPassword_LongPasswordIsNotTruncated(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		pol := *c.Policy
		pol.Password.MaxLength = 1024
		c.Policy = &pol
	})
	createAlice(t, svc)
	ctx := context.Background()
	for _, n := range []int{64, 73, 1024} {
		pw := strings.Repeat("Kq7-", n/4)[:n-1]
		require.NoError(t, svc.SetPassword(ctx, "alice", pw+"x"), n)
		assert.NoError(t, svc.VerifyPassword(ctx, "alice", pw+"x"), n)
		assert.ErrorIs(t, svc.VerifyPassword(ctx, "alice", pw+"y"), profile.ErrInvalidCredentials,
			"%d runes: a password differing only in its last character must not verify", n)
	}
}

func TestSetPassword_DefaultHashIsArgon2idWithOWASPParametersAndRandomSalt(t *testing.T) {
	// The real default parameters, not the tests' fast ones.
	svc, st, _ := newService(t, func(c *profile.Config) { c.Hashing = profile.HashingConfig{} })
	ctx := context.Background()
	hashes := make([]string, 2)
	for i, id := range []string{"u1", "u2"} {
		require.NoError(t, svc.CreateUser(ctx, id, profile.Profile{FirstName: "Ada"}))
		require.NoError(t, svc.SetPassword(ctx, id, "Plum-Kettle-Harbor-9"))
		rec, err := st.Get(ctx, id)
		require.NoError(t, err)
		hashes[i] = rec.Password.Hash
	}
	for _, h := range hashes {
		assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), "hash %q", h)
		parts := strings.Split(h, "$")
		require.Len(t, parts, 6)
		salt, err := base64.RawStdEncoding.DecodeString(parts[4])
		require.NoError(t, err)
		assert.Len(t, salt, 16, "128-bit salt")
		key, err := base64.RawStdEncoding.DecodeString(parts[5])
		require.NoError(t, err)
		assert.Len(t, key, 32)
		assert.NotContains(t, h, "Plum")
	}
	assert.NotEqual(t, hashes[0], hashes[1], "the same password hashes differently for two users: random salt")
}

func TestVerifyPassword_UnknownUserAndWrongPasswordLookTheSame(t *testing.T) {
	svc, _, _ := newService(t)
	createAlice(t, svc)
	ctx := context.Background()
	require.NoError(t, svc.SetPassword(ctx, "alice", "Plum-Kettle-Harbor-9"))
	wrong := svc.VerifyPassword(ctx, "alice", "Otter-Lantern-Quay-4")
	unknown := svc.VerifyPassword(ctx, "mallory", "Otter-Lantern-Quay-4")
	require.ErrorIs(t, wrong, profile.ErrInvalidCredentials)
	require.ErrorIs(t, unknown, profile.ErrInvalidCredentials)
	assert.False(t, errors.Is(unknown, profile.ErrNotFound), "an unknown user must not be told apart")
	assert.Equal(t, svc.Message("en", wrong), svc.Message("en", unknown))
}
