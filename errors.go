package profile

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/go-multierror"
)

// Sentinel errors returned by the Service and by Store implementations.
// Compare with errors.Is: they are usually wrapped with context.
var (
	// ErrNotFound means the user (or the token's owner) does not exist.
	ErrNotFound = errors.New("profile: not found")
	// ErrExists means a record for the user already exists.
	ErrExists = errors.New("profile: already exists")
	// ErrConflict means the record changed since it was read: a stale
	// ProfileUpdate.Version, or a lost compare-and-swap in a Store.
	ErrConflict = errors.New("profile: record changed since it was read")
	// ErrFeatureDisabled means the administrator has not enabled the part of
	// the page the operation belongs to, for this user.
	ErrFeatureDisabled = errors.New("profile: feature disabled by the administrator")
	// ErrSSOManaged means the account signs in through Single Sign On, so its
	// password is managed by the organization. Its message is exactly the
	// sentence the page shows.
	ErrSSOManaged = errors.New(SSOMessage)
	// ErrInvalidCredentials means the current password is wrong.
	ErrInvalidCredentials = errors.New("profile: current password is incorrect")
	// ErrPasswordMismatch means the new password and its confirmation differ.
	// It is reported as a Violation inside a *ValidationError and found with
	// errors.Is.
	ErrPasswordMismatch = errors.New("profile: password confirmation does not match")
	// ErrTooManyAttempts means too many wrong current passwords were entered;
	// the user must wait for the attempt window to pass.
	ErrTooManyAttempts = errors.New("profile: too many attempts, try again later")
	// ErrInvalidToken means an API token is malformed, unknown, expired,
	// revoked or belongs to a user whose API token feature is off. The cases
	// are deliberately indistinguishable.
	ErrInvalidToken = errors.New("profile: invalid API token")
	// ErrTokenNotRetrievable means the token cannot be shown again (no key ring
	// is configured, or the user has no token): regenerate it instead.
	ErrTokenNotRetrievable = errors.New("profile: API token cannot be shown again; regenerate it to get a new one")
	// ErrUnsupportedLanguage means the requested language is not one the host
	// supports; see *LanguageError for the closest supported options.
	ErrUnsupportedLanguage = errors.New("profile: unsupported language")
	// ErrInvalidUserID means a user ID is empty, too long or not valid UTF-8
	// text without control characters.
	ErrInvalidUserID = errors.New("profile: invalid user ID")
)

// TooManyAttemptsError is the error behind ErrTooManyAttempts: errors.Is
// matches it with ErrTooManyAttempts, and RetryAfter says how long until
// the attempt window passes (an HTTP layer sends it as Retry-After).
type TooManyAttemptsError struct {
	wait time.Duration
}

// Error returns ErrTooManyAttempts' message.
func (e *TooManyAttemptsError) Error() string { return ErrTooManyAttempts.Error() }

// Is reports whether target is ErrTooManyAttempts.
func (e *TooManyAttemptsError) Is(target error) bool { return target == ErrTooManyAttempts }

// RetryAfter returns how long until the user may try again.
func (e *TooManyAttemptsError) RetryAfter() time.Duration { return e.wait }

// SSOMessage is the sentence shown to a user whose account signs in through
// Single Sign On and who wants to change a password.
const SSOMessage = "Your account uses Single Sign On (SSO). Password is managed by your organization."

// Violation is one broken rule: which field, which rule (a stable key a host
// may render itself), the rule's parameters, and a message in the user's
// language. A Violation never carries the rejected value when it is a secret.
type Violation struct {
	// Field is the input that broke the rule, e.g. "email", "new_password",
	// "attributes.department".
	Field string `json:"field"`
	// Rule is a stable key such as "required", "too_long", "min_length".
	Rule string `json:"rule"`
	// Params holds the rule's parameters, e.g. {"min": 8}. It may be nil.
	Params map[string]any `json:"params,omitempty"`
	// Message is the human sentence in the user's language.
	Message string `json:"message"`
	// Err is an optional sentinel the violation stands for (for example
	// ErrPasswordMismatch); errors.Is finds it through the ValidationError.
	Err error `json:"-"`
}

// Error returns the violation's field and message.
func (v Violation) Error() string {
	if v.Field == "" {
		return v.Message
	}
	return v.Field + ": " + v.Message
}

// Unwrap returns the sentinel the violation stands for, if any.
func (v Violation) Unwrap() error { return v.Err }

// ValidationError reports every broken rule of one operation at once. Find
// it with errors.As; each Violation is also reachable with errors.As and its
// sentinel (if any) with errors.Is.
type ValidationError struct {
	// Violations lists every broken rule, in a stable order.
	Violations []Violation
}

// newValidationError returns a *ValidationError holding vs, or nil when
// there are none. Its Error method lists them with go-multierror.
func newValidationError(vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	return &ValidationError{Violations: vs}
}

// Error lists every violation.
func (e *ValidationError) Error() string {
	if len(e.Violations) == 0 {
		return "profile: invalid input"
	}
	var m *multierror.Error
	for _, v := range e.Violations {
		m = multierror.Append(m, v)
	}
	m.ErrorFormat = func(es []error) string {
		parts := make([]string, len(es))
		for i, err := range es {
			parts[i] = err.Error()
		}
		return fmt.Sprintf("profile: %d invalid input(s): %s", len(es), strings.Join(parts, "; "))
	}
	return m.Error()
}

// Unwrap returns each violation, so errors.Is and errors.As see through a
// ValidationError to the violations and their sentinels.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Violations))
	for i, v := range e.Violations {
		errs[i] = v
	}
	return errs
}

// Has reports whether a violation of rule on field is present. An empty
// field matches any field.
func (e *ValidationError) Has(field, rule string) bool {
	for _, v := range e.Violations {
		if (field == "" || v.Field == field) && v.Rule == rule {
			return true
		}
	}
	return false
}
