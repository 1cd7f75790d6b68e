package sqlite

import (
	"crypto/sha256"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// FuzzEncode_RoundTrip checks that any record either maps to a row and
// back exactly, or is refused with an error (a string that is not UTF-8, a
// time the column cannot hold), and never panics.
func FuzzEncode_RoundTrip(f *testing.F) {
	f.Add("Zoë", "O'Brien-Müller", "zoe@example.com", "zoe", "department", "R&D", "de-CH",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "k2026", []byte{0, 1, 250}, int64(1_700_000_000_123_456))
	f.Add("", "", "", "", "", "", "", "", "", []byte(nil), int64(0))
	f.Add("\xff", "a\x00b", "\"quoted\"", "\\", "k\xc3", "{}", "null", "[1]", "\u2028", []byte{}, int64(-62135596800000000))
	f.Fuzz(func(t *testing.T, first, last, email, user, key, val, lang, hash, keyID string, sealed []byte, micros int64) {
		want := profile.Record{
			UserID:         user + "-id",
			Revision:       micros % 1000,
			ProfileVersion: micros % 777,
			Profile:        profile.Profile{FirstName: first, LastName: last, Email: email, Username: user, Attributes: map[string]string{key: val}},
			Preferences:    profile.Preferences{Language: lang},
			Password:       profile.PasswordState{Hash: hash, History: []string{hash, keyID}, ChangedAt: time.UnixMicro(micros).UTC()},
			Token:          profile.TokenState{Digest: sha256.Sum256(sealed), KeyID: keyID, Sealed: sealed, ExpiresAt: time.UnixMicro(micros / 3).UTC()},
			CreatedAt:      time.UnixMicro(micros).UTC(),
			UpdatedAt:      time.UnixMicro(-micros).UTC(),
		}
		w, err := encode(want)
		if err != nil {
			valid := true
			for _, s := range []string{first, last, email, user, key, val, lang, hash, keyID} {
				valid = valid && utf8.ValidString(s)
			}
			if valid {
				assert.ErrorContains(t, err, "year", "only a time out of range may be refused")
			}
			return
		}
		got, err := decode(w)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
}
