package profile

import (
	"context"
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

// Token is an API token. It prints redacted; Plaintext returns the secret.
type Token struct {
	value string
}

// Plaintext returns the token itself, to hand to the user once.
func (t Token) Plaintext() string { return t.value }

// RevealToken returns the user's current token (the copy button).
func (s *Service) RevealToken(ctx context.Context, userID string) (Token, error) {
	return Token{}, errNotImplemented
}

// RegenerateToken replaces the user's token with a new one.
func (s *Service) RegenerateToken(ctx context.Context, userID string) (Token, error) {
	return Token{}, errNotImplemented
}

// RevokeToken removes the user's token.
func (s *Service) RevokeToken(ctx context.Context, userID string) error {
	return errNotImplemented
}

// Authenticate returns the ID of the user whose token this is.
func (s *Service) Authenticate(ctx context.Context, token string) (string, error) {
	return "", errNotImplemented
}
