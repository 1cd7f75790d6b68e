package profile

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Policy is what the administrator decides: which parts of the My Profile
// page are enabled, the password rules and the API token lifetime. A host
// can vary it per user or tenant with Config.PolicyFor.
//
// The zero Policy enables nothing; DefaultPolicy is the usual start.
type Policy struct {
	// Features lists the enabled tabs.
	Features Features
	// Password holds the password rules; its zero value is the defaults.
	Password PasswordPolicy
	// Token holds the API token rules.
	Token TokenPolicy
}

// Features says which tabs of the My Profile page the administrator
// enabled. An operation of a disabled tab returns ErrFeatureDisabled and
// changes nothing.
type Features struct {
	PersonalInfo bool // Personal Information Details
	Preferences  bool // language preference
	Password     bool // password change
	APIToken     bool // copy and regenerate the API token; off: the token stops authenticating
}

// AllFeatures returns Features with every tab enabled.
func AllFeatures() Features {
	return Features{PersonalInfo: true, Preferences: true, Password: true, APIToken: true}
}

// DefaultPolicy returns the policy used when Config.Policy is nil: the
// Personal Information, Preferences and Password tabs on, the API Token tab
// off until an administrator enables it, and the default password rules.
func DefaultPolicy() Policy {
	return Policy{Features: Features{PersonalInfo: true, Preferences: true, Password: true}}
}

func (f Features) any() bool { return f.PersonalInfo || f.Preferences || f.Password || f.APIToken }

// TokenPolicy holds the administrator's API token rules.
type TokenPolicy struct {
	// TTL, when positive, is how long a generated token authenticates.
	// Zero: tokens do not expire.
	TTL time.Duration
}

// PasswordPolicy holds the administrator's password rules. Lengths count
// runes after PRECIS OpaqueString normalisation. The zero value of each
// field means its documented default.
type PasswordPolicy struct {
	// MinLength is the fewest runes allowed. 0: 8.
	MinLength int
	// MaxLength is the most runes allowed. 0: 64. NIST SP 800-63B asks
	// verifiers to allow at least 64 so that passphrases fit.
	MaxLength int
	// MinUpper, MinLower, MinDigit and MinSymbol are the fewest characters
	// of each class. 0: no constraint. Letters with case count as upper or
	// lower whatever their script; Unicode decimal digits count as digits;
	// everything else (punctuation, symbols, spaces, and letters of scripts
	// without case such as CJK) counts as a symbol.
	MinUpper  int
	MinLower  int
	MinDigit  int
	MinSymbol int
	// MaxRepeat is the most times one character may repeat in a row.
	// 0: no limit.
	MaxRepeat int
	// AllowPersonalInfo turns off the rule that a password must not contain
	// the user's first or last name, username or email local part (parts of
	// at least 3 runes, compared case-insensitively).
	AllowPersonalInfo bool
	// History is how many previous passwords may not be reused. 0: none.
	History int
	// DisableBlocklist turns off the common-password blocklist.
	DisableBlocklist bool
	// Blocklist adds the host's own refused words (company and product
	// names), compared case-insensitively.
	Blocklist []string
	// MaxAttempts is how many wrong current passwords are accepted within
	// AttemptWindow before ErrTooManyAttempts. 0: 5.
	MaxAttempts int
	// AttemptWindow is the window for MaxAttempts. 0: 15 minutes.
	AttemptWindow time.Duration
}

// Defaults of PasswordPolicy's zero fields.
const (
	DefaultMinLength     = 8
	DefaultMaxLength     = 64
	DefaultMaxAttempts   = 5
	DefaultAttemptWindow = 15 * time.Minute
	// MaxPasswordBytes caps a password's size before any other work.
	MaxPasswordBytes = 4096
)

// normalize fills defaults and rejects impossible combinations.
func (p Policy) normalize() (Policy, error) {
	pp, err := p.Password.normalize()
	if err != nil {
		return Policy{}, fmt.Errorf("Password: %w", err)
	}
	p.Password = pp
	if p.Token.TTL < 0 {
		return Policy{}, errors.New("Token.TTL is negative")
	}
	return p, nil
}

func (p PasswordPolicy) normalize() (PasswordPolicy, error) {
	if p.MinLength == 0 {
		p.MinLength = DefaultMinLength
	}
	if p.MaxLength == 0 {
		p.MaxLength = DefaultMaxLength
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.AttemptWindow == 0 {
		p.AttemptWindow = DefaultAttemptWindow
	}
	switch {
	case p.MinLength < 1:
		return p, fmt.Errorf("MinLength %d is below 1", p.MinLength)
	case p.MaxLength < p.MinLength:
		return p, fmt.Errorf("MaxLength %d is below MinLength %d", p.MaxLength, p.MinLength)
	case p.MaxLength > MaxPasswordBytes/4:
		return p, fmt.Errorf("MaxLength %d is above %d", p.MaxLength, MaxPasswordBytes/4)
	case p.MinUpper < 0 || p.MinLower < 0 || p.MinDigit < 0 || p.MinSymbol < 0:
		return p, errors.New("a character-class minimum is negative")
	case p.MinUpper+p.MinLower+p.MinDigit+p.MinSymbol > p.MaxLength:
		return p, fmt.Errorf("character-class minimums add up to %d, above MaxLength %d", p.MinUpper+p.MinLower+p.MinDigit+p.MinSymbol, p.MaxLength)
	case p.MaxRepeat < 0:
		return p, errors.New("MaxRepeat is negative")
	case p.History < 0 || p.History > 24:
		return p, fmt.Errorf("History %d is outside 0..24", p.History)
	case p.MaxAttempts < 1:
		return p, fmt.Errorf("MaxAttempts %d is below 1", p.MaxAttempts)
	case p.AttemptWindow < 0:
		return p, errors.New("AttemptWindow is negative")
	}
	return p, nil
}

// feature names one tab for requireFeature.
type feature int

const (
	featurePersonalInfo feature = iota
	featurePreferences
	featurePassword
	featureAPIToken
)

func (f Features) has(ft feature) bool {
	switch ft {
	case featurePersonalInfo:
		return f.PersonalInfo
	case featurePreferences:
		return f.Preferences
	case featurePassword:
		return f.Password
	case featureAPIToken:
		return f.APIToken
	}
	return false
}

// requireFeature returns ErrFeatureDisabled (wrapped) when ft is off for
// userID.
func (s *Service) requireFeature(ctx context.Context, userID string, ft feature) error {
	if err := checkUserID(userID); err != nil {
		return err
	}
	pol, err := s.policyOf(ctx, userID)
	if err != nil {
		return err
	}
	if !pol.Features.has(ft) {
		return fmt.Errorf("profile: %q: %w", userID, ErrFeatureDisabled)
	}
	return nil
}
