package profile_test

import (
	"hash/crc32"
	"strings"
	"testing"

	"github.com/profilekit/profile"
)

// parseTokenReference is a slow, obviously correct statement of the token
// format, against which FuzzParseToken checks ParseToken.
func parseTokenReference(s string) bool {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	n := len(s) - 49
	if n < 1 || n > 16 {
		return false
	}
	for _, r := range s[:n] {
		if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz_", r) {
			return false
		}
	}
	for _, r := range s[n:] {
		if !strings.ContainsRune(alphabet, r) {
			return false
		}
	}
	sum := crc32.ChecksumIEEE([]byte(s[:len(s)-6]))
	want := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		want[i] = alphabet[sum%62]
		sum /= 62
	}
	return s[len(s)-6:] == string(want)
}

func FuzzParseToken(f *testing.F) {
	for _, seed := range []string{
		"",
		"pk_",
		"pk_0000000000000000000000000000000000000000000000000",
		"pk_2jnqoKQVRPAd33ymAR8lB9xfkzrcmOFETYkR0M4etXF0vDaak",
		"acme_9WvRTrPeibInyaundsS0pfE7mb09VZrOgPQT2rZq1xm0JaanZ",
		"Bearer pk_2jnqoKQVRPAd33ymAR8lB9xfkzrcmOFETYkR0M4etXF0vDaak",
		strings.Repeat("z", 65),
		strings.Repeat("\xff", 52),
	} {
		f.Add(seed)
	}
	// Real tokens, with several prefixes, so the fuzzer starts from inputs
	// that pass the checksum.
	for _, prefix := range []string{"", "x", "acme_", "abcdefghijklmnop"} {
		fx := newTokFixture(f, func(c *profile.Config) { c.TokenPrefix = prefix })
		tok, err := fx.svc.RegenerateToken(f.Context(), "alice")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok.Plaintext())
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := profile.ParseToken(s)
		want := parseTokenReference(s)
		if want != (err == nil) {
			t.Fatalf("ParseToken(%q) error %v, reference says valid=%t", s, err, want)
		}
		if err != nil {
			if err != profile.ErrInvalidToken || !tok.IsZero() {
				t.Fatalf("ParseToken(%q) = %v, %v; want the zero Token and ErrInvalidToken", s, tok, err)
			}
			return
		}
		if tok.Plaintext() != s || !strings.HasPrefix(s, tok.Prefix()) || len(tok.Prefix())+49 != len(s) {
			t.Fatalf("ParseToken(%q): plaintext %q, prefix %q", s, tok.Plaintext(), tok.Prefix())
		}
		if red := tok.String(); strings.Contains(red, s[len(tok.Prefix()):len(s)-6]) {
			t.Fatalf("redacted form %q shows the body", red)
		}
	})
}
