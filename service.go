package profile

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/profilekit/profile/internal/i18n"
)

// Store keeps one Record per user. It is the plug point for the host's
// storage; store/memory is the embedded default and store/storetest is the
// conformance suite every implementation must pass.
//
// Contract, for implementers:
//   - Every method honours ctx: a cancelled or expired context returns an
//     error wrapping ctx.Err() and changes nothing.
//   - Records are values. A Store must not keep references to the slices
//     and maps of a Record it was given, nor return references to its own;
//     Record.Clone makes the deep copy.
//   - Revision is managed by the Store: Create stores the record with
//     Revision 1 whatever the caller set; Update succeeds only when
//     r.Revision equals the stored revision (compare-and-swap), stores the
//     record with Revision+1 and returns the stored record.
//   - The token index maps Record.Token.Digest to the user's record, so
//     that Authenticate costs one lookup. A zero digest is never indexed. A digest belongs to at most one user: Create or
//     Update with a digest that another user holds returns ErrExists and
//     changes nothing. Create, Update and Delete keep the index in the same
//     atomic step as the record.
//   - Errors: ErrExists (Create of an existing user, or a digest already
//     used), ErrNotFound (Get, Update, Delete of a missing user; GetByToken
//     of an unknown or zero digest), ErrConflict (Update with a stale revision).
//     Wrap them with %w; the Service compares with errors.Is.
//   - All methods are safe for concurrent use.
type Store interface {
	// Create stores a new record with Revision 1.
	Create(ctx context.Context, r Record) error
	// Get returns the user's record.
	Get(ctx context.Context, userID string) (Record, error)
	// Update replaces the record when r.Revision is the stored revision and
	// returns the stored record, whose Revision is one higher.
	Update(ctx context.Context, r Record) (Record, error)
	// Delete removes the user's record and its token digest from the index.
	Delete(ctx context.Context, userID string) error
	// GetByToken returns the record whose Token.Digest is d, read in one
	// lookup of the token index: it is on Authenticate's hot path.
	GetByToken(ctx context.Context, d TokenDigest) (Record, error)
}

// Record is everything the library keeps about one user: the profile, the
// preferences, the password state and the token state. A Store saves and
// returns it whole.
type Record struct {
	// UserID is the host's opaque identifier of the user.
	UserID string
	// Revision is managed by the Store and increases by one on every
	// successful Update; the Service uses it for compare-and-swap.
	Revision int64
	// ProfileVersion increases by one each time the profile changes. It is
	// the version a caller passes back in ProfileUpdate.Version, so that a
	// password change or token regeneration does not invalidate a form.
	ProfileVersion int64
	// Profile is the Personal Information Details tab.
	Profile Profile
	// Preferences is the Preferences tab.
	Preferences Preferences
	// Password is the stored password state (hash, history, attempts).
	Password PasswordState
	// Token is the stored API token state (digest, sealed copy, times).
	Token TokenState
	// CreatedAt and UpdatedAt are set by the Service.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Clone returns a deep copy of r that shares no slice or map with it. Store
// implementations use it to avoid aliasing.
func (r Record) Clone() Record {
	c := r
	if r.Profile.Attributes != nil {
		c.Profile.Attributes = make(map[string]string, len(r.Profile.Attributes))
		for k, v := range r.Profile.Attributes {
			c.Profile.Attributes[k] = v
		}
	}
	if r.Password.History != nil {
		c.Password.History = append([]string(nil), r.Password.History...)
	}
	if r.Token.Sealed != nil {
		c.Token.Sealed = append([]byte(nil), r.Token.Sealed...)
	}
	return c
}

// IdentityProvider tells how an account signs in. It is the plug point for
// the host's identity system; a nil IdentityProvider means every account is
// local.
type IdentityProvider interface {
	// Identity returns how userID signs in. An error aborts the operation
	// that asked and is returned wrapped.
	Identity(ctx context.Context, userID string) (Identity, error)
}

// Identity describes how one account signs in.
type Identity struct {
	// SSO is true when the organization manages the password (Single Sign
	// On): the password cannot be changed here.
	SSO bool
	// Provider names the identity provider for display, e.g. "Okta".
	Provider string
	// Managed lists the profile fields the provider owns, by field key
	// (FieldFirstName, FieldEmail, "attributes.department", ...). They are
	// read-only on the page.
	Managed []string
}

// IdentityFunc adapts a function to an IdentityProvider.
type IdentityFunc func(ctx context.Context, userID string) (Identity, error)

// Identity calls f.
func (f IdentityFunc) Identity(ctx context.Context, userID string) (Identity, error) {
	return f(ctx, userID)
}

// EventKind names a change the Service made.
type EventKind string

// The kinds of Event.
const (
	EventUserCreated      EventKind = "user_created"
	EventUserDeleted      EventKind = "user_deleted"
	EventProfileUpdated   EventKind = "profile_updated"
	EventLanguageChanged  EventKind = "language_changed"
	EventPasswordChanged  EventKind = "password_changed"
	EventTokenRegenerated EventKind = "token_regenerated"
	EventTokenRevoked     EventKind = "token_revoked"
)

// Event reports a successful change, for audit logs and notifications. It
// never carries a password, a hash or a token.
type Event struct {
	Kind   EventKind
	UserID string
	Time   time.Time
	// Fields lists the changed profile fields (EventProfileUpdated) or the
	// new language tag (EventLanguageChanged).
	Fields []string
}

// Config configures a Service. The zero value of every field but Store is
// meaningful.
type Config struct {
	// Store keeps the records. Required; store/memory is the embedded default.
	Store Store
	// Identity tells which accounts are SSO. Nil: every account is local.
	Identity IdentityProvider
	// Policy is what the administrator decided for everyone. Nil means
	// DefaultPolicy(). It is validated by New.
	Policy *Policy
	// PolicyFor, when set, returns the policy for one user or tenant and
	// takes precedence over Policy. Its result is validated on each call; an
	// error aborts the operation.
	PolicyFor func(ctx context.Context, userID string) (Policy, error)
	// Attributes declares the host's extra profile fields. Only declared
	// attributes can be set.
	Attributes []AttributeSpec
	// Languages lists the BCP 47 tags the host's product supports, the first
	// being the default. Empty: every language the library ships catalogs for.
	Languages []string
	// Hashing tunes password hashing. The zero value is OWASP's argon2id
	// recommendation with GOMAXPROCS hashes at once.
	Hashing HashingConfig
	// TokenPrefix starts every API token. Empty: "pk_".
	TokenPrefix string
	// TokenKeys seal API tokens so that they can be copied later; the first
	// key seals, every key opens. Empty: a token is shown once.
	TokenKeys []TokenKey
	// Clock returns the current time. Nil: time.Now.
	Clock func() time.Time
	// Events, when set, is called after each successful change. It runs on
	// the caller's goroutine and must not block for long.
	Events func(context.Context, Event)
}

// Service is the back end of the My Profile page. Create it with New. A
// Service is safe for concurrent use.
type Service struct {
	store     Store
	idp       IdentityProvider
	policy    Policy
	policyFor func(ctx context.Context, userID string) (Policy, error)
	attrs     map[string]AttributeSpec
	attrList  []AttributeSpec
	clock     func() time.Time
	events    func(context.Context, Event)
	msgs      *i18n.Bundle

	pw   passwords // password.go
	tok  tokens    // token.go
	lang languages // preferences.go
}

// New validates cfg and returns a Service. It fails with an error naming the
// offending Config field.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("profile: Config.Store is required (store/memory is the embedded default)")
	}
	s := &Service{
		store:     cfg.Store,
		idp:       cfg.Identity,
		policyFor: cfg.PolicyFor,
		clock:     cfg.Clock,
		events:    cfg.Events,
		msgs:      i18n.Default(),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	pol := DefaultPolicy()
	if cfg.Policy != nil {
		pol = *cfg.Policy
	}
	pol, err := pol.normalize()
	if err != nil {
		return nil, fmt.Errorf("profile: Config.Policy: %w", err)
	}
	s.policy = pol
	if err := s.initAttributes(cfg.Attributes); err != nil {
		return nil, err
	}
	if err := s.pw.init(cfg.Hashing); err != nil {
		return nil, fmt.Errorf("profile: Config.Hashing: %w", err)
	}
	if err := s.tok.init(cfg.TokenPrefix, cfg.TokenKeys); err != nil {
		return nil, err
	}
	if err := s.lang.init(cfg.Languages); err != nil {
		return nil, fmt.Errorf("profile: Config.Languages: %w", err)
	}
	return s, nil
}

// maxUserIDLen caps user IDs in bytes.
const maxUserIDLen = 256

// checkUserID reports whether id is a usable user ID: 1 to 256 bytes of
// valid UTF-8 with no control characters.
func checkUserID(id string) error {
	if id == "" || len(id) > maxUserIDLen {
		return ErrInvalidUserID
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= utf8.RuneSelf {
			return checkUserIDUnicode(id)
		}
		if c < 0x20 || c == 0x7f {
			return ErrInvalidUserID
		}
	}
	return nil
}

func checkUserIDUnicode(id string) error {
	if !utf8.ValidString(id) {
		return ErrInvalidUserID
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return ErrInvalidUserID
		}
	}
	return nil
}

// policyOf returns the policy in force for userID.
func (s *Service) policyOf(ctx context.Context, userID string) (Policy, error) {
	if s.policyFor == nil {
		return s.policy, nil
	}
	p, err := s.policyFor(ctx, userID)
	if err != nil {
		return Policy{}, fmt.Errorf("profile: policy for %q: %w", userID, err)
	}
	p, err = p.normalize()
	if err != nil {
		return Policy{}, fmt.Errorf("profile: policy for %q: %w", userID, err)
	}
	return p, nil
}

// identityOf returns how userID signs in; local when no provider is set.
func (s *Service) identityOf(ctx context.Context, userID string) (Identity, error) {
	if s.idp == nil {
		return Identity{}, nil
	}
	id, err := s.idp.Identity(ctx, userID)
	if err != nil {
		return Identity{}, fmt.Errorf("profile: identity of %q: %w", userID, err)
	}
	return id, nil
}

// get reads a record after checking the user ID.
func (s *Service) get(ctx context.Context, userID string) (Record, error) {
	if err := checkUserID(userID); err != nil {
		return Record{}, err
	}
	rec, err := s.store.Get(ctx, userID)
	if err != nil {
		return Record{}, fmt.Errorf("profile: get %q: %w", userID, err)
	}
	return rec, nil
}

// maxCASAttempts bounds the Service's internal compare-and-swap retries.
// Every conflict means another writer succeeded, so the system as a whole
// progresses; the bound only stops a pathological store from looping.
const maxCASAttempts = 200

// errNoChange, returned by a modify function, ends modify without a write.
var errNoChange = errors.New("profile: no change")

// modify reads the user's record, lets fn change it, and writes it with
// compare-and-swap, retrying from a fresh read when another writer won. fn
// may run several times and must decide from the record it is given. When
// fn returns errNoChange, modify returns the record read and no error.
func (s *Service) modify(ctx context.Context, userID string, fn func(*Record) error) (Record, error) {
	if err := checkUserID(userID); err != nil {
		return Record{}, err
	}
	for attempt := 0; ; attempt++ {
		rec, err := s.store.Get(ctx, userID)
		if err != nil {
			return Record{}, fmt.Errorf("profile: get %q: %w", userID, err)
		}
		if err := fn(&rec); err != nil {
			if errors.Is(err, errNoChange) {
				return rec, nil
			}
			return Record{}, err
		}
		rec.UpdatedAt = s.clock()
		out, err := s.store.Update(ctx, rec)
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, ErrConflict) || attempt+1 >= maxCASAttempts {
			return Record{}, fmt.Errorf("profile: update %q: %w", userID, err)
		}
		if err := ctx.Err(); err != nil {
			return Record{}, fmt.Errorf("profile: update %q: %w", userID, err)
		}
		if attempt > 2 {
			// Back off a little under heavy contention.
			time.Sleep(time.Duration(rand.IntN(50*(attempt+1))) * time.Microsecond)
		}
	}
}

// emit calls the Events hook, if any.
func (s *Service) emit(ctx context.Context, kind EventKind, userID string, fields []string) {
	if s.events != nil {
		s.events(ctx, Event{Kind: kind, UserID: userID, Time: s.clock(), Fields: fields})
	}
}

// CreateUser creates the record of a new account with its initial profile,
// validated as UpdateProfile validates (but read-only fields may be set: the
// host is creating the account). It returns *ValidationError for bad input
// and ErrExists when the user exists.
func (s *Service) CreateUser(ctx context.Context, userID string, p Profile) error {
	if err := checkUserID(userID); err != nil {
		return err
	}
	tag := s.lang.defaultTag()
	clean, vs := s.validateProfile(tag, p)
	if err := newValidationError(vs); err != nil {
		return err
	}
	now := s.clock()
	rec := Record{UserID: userID, ProfileVersion: 1, Profile: clean, CreatedAt: now, UpdatedAt: now}
	if err := s.store.Create(ctx, rec); err != nil {
		return fmt.Errorf("profile: create %q: %w", userID, err)
	}
	s.emit(ctx, EventUserCreated, userID, nil)
	return nil
}

// DeleteUser removes the user's record; the user's API token stops working
// at once. It returns ErrNotFound when there is no such user.
func (s *Service) DeleteUser(ctx context.Context, userID string) error {
	if err := checkUserID(userID); err != nil {
		return err
	}
	if err := s.store.Delete(ctx, userID); err != nil {
		return fmt.Errorf("profile: delete %q: %w", userID, err)
	}
	s.emit(ctx, EventUserDeleted, userID, nil)
	return nil
}

// Tab is one tab of the My Profile page.
type Tab string

// The tabs, in the order the page shows them.
const (
	TabPersonalInfo Tab = "personal_info"
	TabPreferences  Tab = "preferences"
	TabPassword     Tab = "password"
	TabAPIToken     Tab = "api_token"
)

// Page is what the My Profile page shows one user. A section is nil when
// its tab is disabled.
type Page struct {
	UserID string
	// Language is the BCP 47 tag the page's texts are in.
	Language string
	// Tabs lists the enabled tabs in display order.
	Tabs []Tab
	// PersonalInfo is the Personal Information Details tab.
	PersonalInfo *PersonalInfoView
	// Preferences is the Preferences tab.
	Preferences *PreferencesView
	// Password is the Password tab.
	Password *PasswordView
	// APIToken is the API Token tab.
	APIToken *TokenView
}

// Page returns what the My Profile page shows userID: the tabs the
// administrator enabled and each tab's content, in the user's language. It
// returns ErrFeatureDisabled when every tab is disabled, ErrNotFound for an
// unknown user.
func (s *Service) Page(ctx context.Context, userID string) (Page, error) {
	rec, err := s.get(ctx, userID)
	if err != nil {
		return Page{}, err
	}
	pol, err := s.policyOf(ctx, userID)
	if err != nil {
		return Page{}, err
	}
	if !pol.Features.any() {
		return Page{}, fmt.Errorf("profile: page of %q: %w", userID, ErrFeatureDisabled)
	}
	ident, err := s.identityOf(ctx, userID)
	if err != nil {
		return Page{}, err
	}
	tag := s.lang.userTag(rec)
	pg := Page{UserID: userID, Language: tag.String()}
	if pol.Features.PersonalInfo {
		pg.Tabs = append(pg.Tabs, TabPersonalInfo)
		v := s.personalInfoView(&rec, ident)
		pg.PersonalInfo = &v
	}
	if pol.Features.Preferences {
		pg.Tabs = append(pg.Tabs, TabPreferences)
		v := s.preferencesView(rec, tag)
		pg.Preferences = &v
	}
	if pol.Features.Password {
		pg.Tabs = append(pg.Tabs, TabPassword)
		v := s.passwordView(rec, pol, ident, tag)
		pg.Password = &v
	}
	if pol.Features.APIToken {
		pg.Tabs = append(pg.Tabs, TabAPIToken)
		v := s.tokenView(rec, pol)
		pg.APIToken = &v
	}
	return pg, nil
}

// Message returns the message for err in the language tag (a BCP 47 tag;
// unknown or empty means the default language): the SSO sentence for
// ErrSSOManaged, a generic sentence for each other sentinel and for a
// *ValidationError (whose violations carry their own messages), and
// "error.internal"'s text for anything else. It never reveals an error's
// internals, so a host can show it to a user as is.
func (s *Service) Message(tag string, err error) string {
	t := s.lang.parseOrDefault(tag)
	key := "error.internal"
	var ve *ValidationError
	if errors.As(err, &ve) {
		key = "error.validation_failed"
	} else {
		for _, m := range errorMessages {
			if errors.Is(err, m.err) {
				key = m.key
				break
			}
		}
	}
	return s.msgs.Sprintf(t, key)
}

// errorMessages maps each sentinel to its catalog key, most specific first.
var errorMessages = [...]struct {
	err error
	key string
}{
	{ErrSSOManaged, "error.sso_managed"},
	{ErrFeatureDisabled, "error.feature_disabled"},
	{ErrTooManyAttempts, "error.too_many_attempts"},
	{ErrInvalidCredentials, "error.invalid_credentials"},
	{ErrPasswordMismatch, "password.mismatch"},
	{ErrInvalidToken, "error.invalid_token"},
	{ErrTokenNotRetrievable, "error.token_not_retrievable"},
	{ErrUnsupportedLanguage, "error.unsupported_language"},
	{ErrConflict, "error.conflict"},
	{ErrNotFound, "error.not_found"},
	{ErrExists, "error.exists"},
	{ErrInvalidUserID, "error.invalid_user_id"},
}

// Labels returns the texts of the My Profile page (tab names, field labels,
// buttons, the regeneration warning) in the language tag, keyed by a stable
// ID such as "ui.tab.password". The map is the caller's.
func (s *Service) Labels(tag string) map[string]string {
	t := s.lang.parseOrDefault(tag)
	en := i18n.Messages(i18nEnglish)
	out := make(map[string]string, 32)
	for key := range en {
		if len(key) > 3 && key[:3] == "ui." {
			out[key] = s.msgs.Sprintf(t, key)
		}
	}
	return out
}
