package profile

import (
	"context"
	"errors"
	"time"

	"golang.org/x/text/language"
)

// PasswordState is the stored password state of one user.
type PasswordState struct {
	// Hash is the current password hash in PHC string form; empty when the
	// user has no password here.
	Hash string
	// History holds previous hashes, newest first, for PasswordPolicy.History.
	History []string
	// ChangedAt is when the password last changed.
	ChangedAt time.Time
	// FailedAttempts counts wrong current passwords since WindowStart.
	FailedAttempts int
	// WindowStart starts the current attempt window.
	WindowStart time.Time
}

// HashingConfig tunes password hashing. The zero value of each field means
// its default.
type HashingConfig struct {
	// Memory is argon2id's memory in KiB. 0: 19456 (OWASP).
	Memory uint32
	// Time is argon2id's number of passes. 0: 2.
	Time uint32
	// Threads is argon2id's parallelism. 0: 1.
	Threads uint8
	// Concurrency bounds how many hashes run at once. 0: GOMAXPROCS.
	Concurrency int
}

// passwords is the Service's hashing state.
type passwords struct {
	cfg HashingConfig
}

func (p *passwords) init(c HashingConfig) error {
	p.cfg = c
	return nil
}

// PasswordView is the Password tab of a Page.
type PasswordView struct {
	// CanChange is false for an SSO account.
	CanChange bool
	// SSO is true when the organization manages the password.
	SSO bool
	// Provider names the identity provider of an SSO account.
	Provider string
	// Message is the SSO sentence for an SSO account, else empty.
	Message string
	// Rules describes the password rules in the user's language.
	Rules []string
}

func (s *Service) passwordView(rec Record, pol Policy, ident Identity, tag language.Tag) PasswordView {
	if ident.SSO {
		return PasswordView{SSO: true, Provider: ident.Provider, Message: s.msgs.Sprintf(tag, "error.sso_managed")}
	}
	return PasswordView{CanChange: true}
}

// PasswordChange is what the Password tab submits.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
}

var errNotImplemented = errors.New("profile: not implemented yet")

// ChangePassword changes the user's password.
func (s *Service) ChangePassword(ctx context.Context, userID string, c PasswordChange) error {
	return errNotImplemented
}

// SetPassword sets the user's password without the current one, for an
// administrator or the host's sign-up flow.
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	return errNotImplemented
}

// VerifyPassword checks password against the user's stored hash, for a
// host's sign-in.
func (s *Service) VerifyPassword(ctx context.Context, userID, password string) error {
	return errNotImplemented
}

// CheckPassword validates a candidate new password against the user's
// policy without changing anything, for a page that checks as the user
// types. It returns nil or a *ValidationError in the user's language.
func (s *Service) CheckPassword(ctx context.Context, userID, password string) error {
	return errNotImplemented
}
