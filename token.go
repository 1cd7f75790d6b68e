package profile

import (
	"time"
)

// TokenDigest is the SHA-256 digest of an API token: the only form of a
// token a Store indexes.
type TokenDigest [32]byte

// IsZero reports whether d is the zero digest (no token).
func (d TokenDigest) IsZero() bool { return d == TokenDigest{} }

// TokenState is the stored API token state of one user.
type TokenState struct {
	// Digest is the SHA-256 of the current token; zero when there is none.
	Digest TokenDigest
	// CreatedAt is when the token was generated.
	CreatedAt time.Time
	// ExpiresAt is when it stops authenticating; zero: never.
	ExpiresAt time.Time
	// KeyID names the key that sealed Sealed.
	KeyID string
	// Sealed is the token sealed with XChaCha20-Poly1305 under KeyID, so it
	// can be copied later; empty without a key ring.
	Sealed []byte
}

// TokenKey is one key of the ring that seals API tokens.
type TokenKey struct {
	// ID names the key in sealed records; 1 to 32 printable ASCII bytes.
	ID string
	// Key is 32 random bytes.
	Key []byte
}

type tokens struct {
	prefix string
}

func (t *tokens) init(prefix string, keys []TokenKey) error {
	if prefix == "" {
		prefix = "pk_"
	}
	t.prefix = prefix
	return nil
}

// TokenView is the API Token tab of a Page.
type TokenView struct {
	// HasToken is true when the user has a token.
	HasToken bool
	// Retrievable is true when the token can be copied (a key ring is set).
	Retrievable bool
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (s *Service) tokenView(rec Record, pol Policy) TokenView {
	return TokenView{HasToken: !rec.Token.Digest.IsZero(), CreatedAt: rec.Token.CreatedAt, ExpiresAt: rec.Token.ExpiresAt}
}
