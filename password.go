package profile

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/language"
	"golang.org/x/text/secure/precis"
)

// PasswordState is the stored password state of one user. A Store saves it
// whole, as part of the Record.
type PasswordState struct {
	// Hash is the current password hash: an argon2id PHC string
	// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") or, for an imported
	// user, a bcrypt hash ("$2a$", "$2b$", "$2y$") that is replaced by an
	// argon2id one on the next successful verification. Empty when the
	// user has no password here.
	Hash string
	// History holds previous hashes, newest first, at most
	// PasswordPolicy.History of them.
	History []string
	// ChangedAt is when the password last changed.
	ChangedAt time.Time
	// FailedAttempts counts the password verifications started in the
	// window that began at WindowStart and did not succeed. A verification
	// reserves its slot here before it runs, so the count is exact across
	// goroutines and app instances sharing one store.
	FailedAttempts int
	// WindowStart starts the current attempt window; zero when there is
	// none.
	WindowStart time.Time
}

// HashingConfig tunes password hashing. The zero value of each field means
// its default: argon2id with m=19456 KiB, t=2, p=1 (OWASP's
// recommendation), a 16-byte random salt and a 32-byte key, with at most
// GOMAXPROCS hashes running at once.
//
// Stored hashes whose parameters differ from these are still verified and
// are rehashed with these on the next successful verification, so the
// parameters can be raised at any time.
type HashingConfig struct {
	// Memory is argon2id's memory in KiB, from 8*Threads to MaxHashMemory.
	// 0: DefaultHashMemory.
	Memory uint32
	// Time is argon2id's number of passes, 1 to MaxHashTime. 0:
	// DefaultHashTime.
	Time uint32
	// Threads is argon2id's parallelism, 1 to MaxHashThreads. 0:
	// DefaultHashThreads.
	Threads uint8
	// Concurrency bounds how many hashes run at once; a call waits for a
	// slot (or for its context to end). 0: GOMAXPROCS.
	Concurrency int
}

// Hashing defaults and bounds. The bounds also apply to parameters parsed
// from stored hashes, so a corrupt or hostile record cannot make a
// verification allocate or compute without limit.
const (
	DefaultHashMemory  = 19456 // KiB
	DefaultHashTime    = 2
	DefaultHashThreads = 1
	MaxHashMemory      = 1 << 20 // KiB: 1 GiB
	MaxHashTime        = 64
	MaxHashThreads     = 64
	// MaxBcryptCost is the highest cost of an imported bcrypt hash that is
	// verified; a higher one is treated as malformed.
	MaxBcryptCost = 16

	hashSaltLen = 16
	hashKeyLen  = 32
	// bounds of salt and key lengths accepted in a stored PHC string, and
	// of the string itself
	minPHCSalt, maxPHCSalt = 8, 64
	minPHCKey, maxPHCKey   = 16, 64
	maxPHCLen              = 256
	bcryptMaxBytes         = 72
)

// argonParams are argon2id's parameters.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

// passwords is the Service's hashing state.
type passwords struct {
	params argonParams
	sem    chan struct{}
	// onHash, when set (by internal tests only, before any use), is called
	// once per hash computation, argon2id or bcrypt.
	onHash func()
}

func (p *passwords) init(c HashingConfig) error {
	if c.Memory == 0 {
		c.Memory = DefaultHashMemory
	}
	if c.Time == 0 {
		c.Time = DefaultHashTime
	}
	if c.Threads == 0 {
		c.Threads = DefaultHashThreads
	}
	if c.Concurrency == 0 {
		c.Concurrency = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.Threads > MaxHashThreads:
		return fmt.Errorf("Threads %d is above %d", c.Threads, MaxHashThreads)
	case c.Time > MaxHashTime:
		return fmt.Errorf("Time %d is above %d", c.Time, MaxHashTime)
	case c.Memory < 8*uint32(c.Threads) || c.Memory > MaxHashMemory:
		return fmt.Errorf("Memory %d KiB is outside %d..%d", c.Memory, 8*uint32(c.Threads), MaxHashMemory)
	case c.Concurrency < 0:
		return fmt.Errorf("Concurrency %d is negative", c.Concurrency)
	}
	p.params = argonParams{memory: c.Memory, time: c.Time, threads: c.Threads}
	p.sem = make(chan struct{}, c.Concurrency)
	return nil
}

// compute runs one hash computation fn when a slot is free, or returns
// ctx's error while waiting.
func (p *passwords) compute(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.sem }()
	if p.onHash != nil {
		p.onHash()
	}
	fn()
	return nil
}

// hash returns the argon2id PHC string of the normalised password pw with
// a fresh random salt and the current parameters.
func (p *passwords) hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, hashSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("profile: salt: %w", err)
	}
	var key []byte
	err := p.compute(ctx, func() {
		key = argon2.IDKey([]byte(pw), salt, p.params.time, p.params.memory, p.params.threads, hashKeyLen)
	})
	if err != nil {
		return "", err
	}
	return encodePHC(phc{argonParams: p.params, salt: salt, key: key}), nil
}

// verify reports whether the normalised password pw matches the stored
// hash, and whether that hash should be replaced by one with the current
// parameters. It runs exactly one hash computation whatever the input (a
// dummy one when stored is empty or malformed or the password cannot
// match), so that its cost says nothing about the account. err is only a
// context error.
func (p *passwords) verify(ctx context.Context, pw, stored string) (ok, rehash bool, err error) {
	switch {
	case strings.HasPrefix(stored, "$argon2id$"):
		h, perr := parsePHC(stored)
		if perr != nil {
			break
		}
		err = p.compute(ctx, func() {
			key := argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
			ok = subtle.ConstantTimeCompare(key, h.key) == 1
		})
		rehash = h.argonParams != p.params || len(h.salt) != hashSaltLen || len(h.key) != hashKeyLen
		return ok && err == nil, ok && rehash, err
	case isBcrypt(stored):
		// bcrypt reads at most 72 bytes; a longer password is refused
		// rather than silently truncated.
		if len(pw) > bcryptMaxBytes {
			break
		}
		if cost, cerr := bcrypt.Cost([]byte(stored)); cerr != nil || cost > MaxBcryptCost {
			break
		}
		err = p.compute(ctx, func() {
			ok = bcrypt.CompareHashAndPassword([]byte(stored), []byte(pw)) == nil
		})
		return ok && err == nil, ok, err
	}
	return false, false, p.dummy(ctx, pw)
}

// dummySalt salts the dummy computation; its value does not matter.
var dummySalt = [hashSaltLen]byte{'p', 'r', 'o', 'f', 'i', 'l', 'e', 'k', 'i', 't'}

// dummy runs one hash computation with the current parameters and throws
// the result away, so that a verification without a usable hash costs what
// a real one costs.
func (p *passwords) dummy(ctx context.Context, pw string) error {
	return p.compute(ctx, func() {
		argon2.IDKey([]byte(pw), dummySalt[:], p.params.time, p.params.memory, p.params.threads, hashKeyLen)
	})
}

func isBcrypt(s string) bool {
	return len(s) == 60 && (strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$"))
}

// phc is a parsed argon2id PHC string.
type phc struct {
	argonParams
	salt, key []byte
}

var phcB64 = base64.RawStdEncoding.Strict()

// encodePHC formats h as "$argon2id$v=19$m=M,t=T,p=P$salt$key" with
// unpadded standard base64.
func encodePHC(h phc) string {
	b := make([]byte, 0, 100)
	b = append(b, "$argon2id$v=19$m="...)
	b = strconv.AppendUint(b, uint64(h.memory), 10)
	b = append(b, ",t="...)
	b = strconv.AppendUint(b, uint64(h.time), 10)
	b = append(b, ",p="...)
	b = strconv.AppendUint(b, uint64(h.threads), 10)
	b = append(b, '$')
	b = phcB64.AppendEncode(b, h.salt)
	b = append(b, '$')
	b = phcB64.AppendEncode(b, h.key)
	return string(b)
}

// errPHC is returned by parsePHC; it never quotes the input.
var errPHC = errors.New("profile: malformed argon2id hash")

// parsePHC parses an argon2id PHC string and checks every parameter
// against the bounds, so that a stored string can neither panic nor make
// a verification allocate or compute without limit.
func parsePHC(s string) (phc, error) {
	var h phc
	if len(s) > maxPHCLen {
		return h, errPHC
	}
	rest, ok := strings.CutPrefix(s, "$argon2id$v=19$m=")
	if !ok {
		return h, errPHC
	}
	m, rest, ok := cutUint(rest, ",t=", MaxHashMemory)
	if !ok {
		return h, errPHC
	}
	t, rest, ok := cutUint(rest, ",p=", MaxHashTime)
	if !ok {
		return h, errPHC
	}
	p, rest, ok := cutUint(rest, "$", MaxHashThreads)
	if !ok || t < 1 || p < 1 || m < 8*p {
		return h, errPHC
	}
	salt64, key64, ok := strings.Cut(rest, "$")
	if !ok || strings.IndexByte(key64, '$') >= 0 ||
		len(salt64) < phcB64.EncodedLen(minPHCSalt) || len(salt64) > phcB64.EncodedLen(maxPHCSalt) ||
		len(key64) < phcB64.EncodedLen(minPHCKey) || len(key64) > phcB64.EncodedLen(maxPHCKey) {
		return h, errPHC
	}
	// The decoder skips '\r' and '\n', so the decoded lengths are checked
	// again.
	salt, err := phcB64.DecodeString(salt64)
	if err != nil || len(salt) < minPHCSalt || len(salt) > maxPHCSalt {
		return h, errPHC
	}
	key, err := phcB64.DecodeString(key64)
	if err != nil || len(key) < minPHCKey || len(key) > maxPHCKey {
		return h, errPHC
	}
	h.memory, h.time, h.threads = uint32(m), uint32(t), uint8(p)
	h.salt, h.key = salt, key
	return h, nil
}

// cutUint parses the decimal number before sep in s, at most max, without
// sign or leading zero.
func cutUint(s, sep string, max uint64) (uint64, string, bool) {
	num, rest, ok := strings.Cut(s, sep)
	if !ok || num == "" || len(num) > 10 || (len(num) > 1 && num[0] == '0') {
		return 0, "", false
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return 0, "", false
		}
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n > max {
		return 0, "", false
	}
	return n, rest, true
}

// normalizePassword applies PRECIS OpaqueString (RFC 8265) to pw. When pw
// is refused it returns the rule: "required" (empty), "max_length" (over
// MaxPasswordBytes, checked before anything else), "invalid_utf8", or
// "disallowed_chars" with the refused characters as "U+XXXX" codes in bad.
// Printable ASCII and the characters of stableRune are already stable
// under PRECIS and are returned as they are, without allocating.
func normalizePassword(pw string) (out, rule, bad string) {
	switch {
	case len(pw) > MaxPasswordBytes:
		return "", "max_length", ""
	case pw == "":
		return "", "required", ""
	case isStable(pw):
		return pw, "", ""
	case !utf8.ValidString(pw):
		return "", "invalid_utf8", ""
	}
	out, err := precis.OpaqueString.String(pw)
	if err != nil {
		return "", "disallowed_chars", disallowedChars(pw)
	}
	if out == "" {
		return "", "required", ""
	}
	return out, "", ""
}

// isStable reports whether PRECIS OpaqueString leaves pw unchanged
// because every rune is printable ASCII or in stableRune's set. Such input
// takes the allocation-free fast path.
func isStable(pw string) bool {
	for i := 0; i < len(pw); {
		c := pw[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(pw[i:])
		if !stableRune(r) {
			return false
		}
		i += size
	}
	return true
}

// stableRune reports whether r is a character that PRECIS OpaqueString
// allows in any context and that NFC never changes or composes with its
// neighbours: Latin-1 and Latin Extended-A/B (U+00A1..U+024F) but the soft
// hyphen U+00AD and the middle dot U+00B7; Hiragana and Katakana letters
// (but the katakana middle dot U+30FB and the combining voicing marks);
// the CJK Unified Ideographs U+4E00..U+9FFF; Hangul syllables. A test
// checks every rune of the set against precis.
func stableRune(r rune) bool {
	switch {
	case r <= 0x24f:
		return r >= 0xa1 && r != 0xad && r != 0xb7
	case r >= 0x3041 && r <= 0x3096:
		return true
	case r >= 0x30a1 && r <= 0x30fe:
		return r != 0x30fb
	case r >= 0x4e00 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7a3:
		return true
	}
	return false
}

// disallowedChars lists, as "U+XXXX" codes, the distinct characters of pw
// that PRECIS refuses on their own (at most 8). These characters can never
// be part of a password, so naming them reveals nothing usable. When only a
// combination is refused it returns "" rather than name characters that
// are allowed (and so may be the password's own).
func disallowedChars(pw string) string {
	var codes []string
	seen := map[rune]bool{}
	for _, r := range pw {
		if seen[r] || len(codes) == 8 {
			continue
		}
		seen[r] = true
		if _, err := precis.OpaqueString.String(string(r)); err != nil {
			codes = append(codes, fmt.Sprintf("U+%04X", r))
		}
	}
	return strings.Join(codes, ", ")
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
	// Rules describes the password rules in the user's language (see
	// PasswordPolicy.Describe); empty for an SSO account.
	Rules []string
}

func (s *Service) passwordView(rec Record, pol Policy, ident Identity, tag language.Tag) PasswordView {
	if ident.SSO {
		return PasswordView{SSO: true, Provider: ident.Provider, Message: s.msgs.Sprintf(tag, "error.sso_managed")}
	}
	return PasswordView{CanChange: true, Rules: pol.Password.describe(s.msgs, tag)}
}

// PasswordChange is what the Password tab submits. Its String method
// redacts every field, so printing it is safe.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
}

// String returns a redacted description that shows no password.
func (c PasswordChange) String() string { return "PasswordChange{Current:***, New:***, Confirm:***}" }

// GoString is String, so %#v is safe too.
func (c PasswordChange) GoString() string { return c.String() }

// Format prints the redacted description for every verb, so no fmt
// directive (%d, %x, %+v, ...) can show a field.
func (c PasswordChange) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, c.String()) }

// MarshalJSON returns the redacted description as a JSON string, so a
// PasswordChange logged or encoded by mistake carries no password.
func (c PasswordChange) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// LogValue returns the redacted description, for log/slog.
func (c PasswordChange) LogValue() slog.Value { return slog.StringValue(c.String()) }

// localAccountPolicy checks userID and returns the user's policy, refusing an
// SSO account with ErrSSOManaged (unwrapped, so its message is exactly the
// sentence). When tab is set, a disabled Password tab is ErrFeatureDisabled
// (wrapped), checked before the identity provider is asked.
func (s *Service) localAccountPolicy(ctx context.Context, userID string, tab bool) (Policy, error) {
	var pol Policy
	var err error
	if tab {
		pol, err = s.requireFeature(ctx, userID, featurePassword)
	} else if err = checkUserID(userID); err == nil {
		pol, err = s.policyOf(ctx, userID)
	}
	if err != nil {
		return Policy{}, err
	}
	ident, err := s.identityOf(ctx, userID)
	if err != nil {
		return Policy{}, err
	}
	if ident.SSO {
		return Policy{}, ErrSSOManaged
	}
	return pol, nil
}

// ChangePassword changes the user's password, as the Password tab's Save
// button does. The checks run in this order and the first that fails ends
// the call, with nothing changed:
//
//  1. ErrInvalidUserID for a bad userID; ErrFeatureDisabled (wrapped) when
//     the Password tab is off for the user;
//  2. ErrSSOManaged, unwrapped, for an account that signs in through SSO:
//     its Error() is exactly SSOMessage. No hashing is done;
//  3. a *ValidationError with a "required" violation on
//     FieldCurrentPassword when Current is empty; ErrNotFound (wrapped)
//     for an unknown user;
//  4. ErrTooManyAttempts (wrapped) when PasswordPolicy.MaxAttempts
//     verifications already ran in the current AttemptWindow. Each
//     verification reserves its slot in the Record before hashing
//     (compare-and-swap), so concurrent guesses on any number of app
//     instances get at most MaxAttempts verifications per window;
//  5. ErrInvalidCredentials (wrapped) when Current is wrong (the attempt
//     stays counted);
//  6. a *ValidationError listing, in the user's language, every broken
//     rule at once: "mismatch" on FieldConfirmPassword when Confirm differs
//     from New (errors.Is finds ErrPasswordMismatch), "same_as_current"
//     when New is the current password, each PasswordPolicy rule (see
//     PasswordPolicy.Validate), and "reused" {count} when New matches one
//     of the last PasswordPolicy.History passwords.
//
// On success the new argon2id hash, the history and the reset attempt
// count are written in one compare-and-swap write and EventPasswordChanged
// is emitted (without any secret). A correct Current also resets the
// attempt count when step 6 fails. It returns ErrConflict (wrapped) if the
// password was changed by someone else meanwhile, and ctx's error when ctx
// ends while waiting for a hashing slot. Safe for concurrent use.
func (s *Service) ChangePassword(ctx context.Context, userID string, c PasswordChange) error {
	pol, err := s.localAccountPolicy(ctx, userID, true)
	if err != nil {
		return err
	}
	if c.Current == "" {
		rec, err := s.get(ctx, userID)
		if err != nil {
			return err
		}
		return passwordError(s.msgs, s.lang.userTag(rec), []Violation{{Field: FieldCurrentPassword, Rule: "required"}})
	}
	rec, err := s.reserveAttempt(ctx, userID, pol.Password)
	if err != nil {
		return fmt.Errorf("profile: change password of %q: %w", userID, err)
	}
	current, _, _ := normalizePassword(c.Current)
	ok, _, err := s.pw.verify(ctx, current, rec.Password.Hash)
	if err != nil {
		return fmt.Errorf("profile: change password of %q: %w", userID, err)
	}
	if !ok || current == "" {
		return fmt.Errorf("profile: change password of %q: %w", userID, ErrInvalidCredentials)
	}
	// The current password is right: whatever happens next, the attempt
	// is not held against the user.
	fail := func(err error) error {
		_ = s.releaseAttempts(context.WithoutCancel(ctx), userID, rec.Password.Hash, "")
		return err
	}

	var vs []Violation
	if c.New != c.Confirm { // both typed by the user now: nothing secret to time
		vs = append(vs, Violation{Field: FieldConfirmPassword, Rule: "mismatch", Err: ErrPasswordMismatch})
	}
	rules := len(vs)
	newPW, vs := pol.Password.check(c.New, rec.Profile, vs)
	if newPW != "" && subtle.ConstantTimeCompare([]byte(newPW), []byte(current)) == 1 {
		// Reported before the rules, right after a mismatch.
		vs = slices.Insert(vs, rules, Violation{Field: FieldNewPassword, Rule: "same_as_current"})
	}
	if newPW != "" && pol.Password.History > 0 {
		reused, err := s.inHistory(ctx, newPW, rec.Password.History, pol.Password.History)
		if err != nil {
			return fail(fmt.Errorf("profile: change password of %q: %w", userID, err))
		}
		if reused {
			vs = append(vs, Violation{Field: FieldNewPassword, Rule: "reused", Params: map[string]any{"count": pol.Password.History}})
		}
	}
	if len(vs) > 0 {
		return fail(passwordError(s.msgs, s.lang.userTag(rec), vs))
	}

	hash, err := s.pw.hash(ctx, newPW)
	if err != nil {
		return fail(fmt.Errorf("profile: change password of %q: %w", userID, err))
	}
	if err := s.storeHash(ctx, userID, &rec.Password.Hash, hash, pol.Password.History); err != nil {
		return fail(err)
	}
	s.emit(ctx, EventPasswordChanged, userID, nil)
	return nil
}

// SetPassword sets the user's password without the current one, for an
// administrator's reset or the host's sign-up flow; it is not an operation
// of the Password tab, so it works whatever Features.Password says. The
// password must pass every PasswordPolicy rule (see
// PasswordPolicy.Validate) but History: an administrator cannot know the
// previous passwords, so reuse is not checked here (the replaced hash still
// enters the history). It returns ErrInvalidUserID, ErrSSOManaged
// (unwrapped) for an SSO account, ErrNotFound (wrapped), a
// *ValidationError in the user's language, or ctx's error. On success it
// resets the attempt count and emits EventPasswordChanged. Safe for
// concurrent use.
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	pol, err := s.localAccountPolicy(ctx, userID, false)
	if err != nil {
		return err
	}
	rec, err := s.get(ctx, userID)
	if err != nil {
		return err
	}
	pw, vs := pol.Password.check(password, rec.Profile, nil)
	if len(vs) > 0 {
		return passwordError(s.msgs, s.lang.userTag(rec), vs)
	}
	hash, err := s.pw.hash(ctx, pw)
	if err != nil {
		return fmt.Errorf("profile: set password of %q: %w", userID, err)
	}
	if err := s.storeHash(ctx, userID, nil, hash, pol.Password.History); err != nil {
		return err
	}
	s.emit(ctx, EventPasswordChanged, userID, nil)
	return nil
}

// VerifyPassword checks password against the user's stored hash, for a
// host's sign-in. It returns nil when it matches, and ErrInvalidCredentials
// (wrapped) when it does not, when the user is unknown or has no password
// here: the three cost one hash computation each, so neither the answer nor
// its timing tells whether the account exists. Like ChangePassword it
// counts attempts in the Record and returns ErrTooManyAttempts (wrapped)
// once PasswordPolicy.MaxAttempts verifications ran in the window (an
// unknown user is never limited, so a host that must hide which accounts
// exist should also rate-limit sign-in by client);
// ErrSSOManaged (unwrapped) for an SSO account, which must sign in through
// its organization. It works whatever Features.Password says: the tab
// switch governs the page, not sign-in. A success resets the attempt
// count and, when the stored hash is bcrypt or argon2id with other
// parameters than Config.Hashing, replaces it with a current argon2id hash
// of the same password. Safe for concurrent use.
func (s *Service) VerifyPassword(ctx context.Context, userID, password string) error {
	pol, err := s.localAccountPolicy(ctx, userID, false)
	if err != nil {
		return err
	}
	pw, _, _ := normalizePassword(password)
	rec, err := s.reserveAttempt(ctx, userID, pol.Password)
	if errors.Is(err, ErrNotFound) {
		if err := s.pw.dummy(ctx, pw); err != nil {
			return fmt.Errorf("profile: verify password of %q: %w", userID, err)
		}
		return fmt.Errorf("profile: verify password of %q: %w", userID, ErrInvalidCredentials)
	}
	if err != nil {
		return fmt.Errorf("profile: verify password of %q: %w", userID, err)
	}
	ok, rehash, err := s.pw.verify(ctx, pw, rec.Password.Hash)
	if err != nil {
		return fmt.Errorf("profile: verify password of %q: %w", userID, err)
	}
	if !ok || pw == "" {
		return fmt.Errorf("profile: verify password of %q: %w", userID, ErrInvalidCredentials)
	}
	fresh := ""
	if rehash {
		// The upgrade is opportunistic: when it cannot run now (ctx ended
		// while waiting for a slot) the next sign-in does it.
		fresh, _ = s.pw.hash(ctx, pw)
	}
	if err := s.releaseAttempts(ctx, userID, rec.Password.Hash, fresh); err != nil {
		return fmt.Errorf("profile: verify password of %q: %w", userID, err)
	}
	return nil
}

// CheckPassword validates a candidate new password against the user's
// policy and profile without changing anything, for a page that checks as
// the user types. It returns nil or a *ValidationError in the user's
// language (every rule but History, which needs hashing and is checked by
// ChangePassword); ErrInvalidUserID, ErrFeatureDisabled (wrapped) when the
// Password tab is off, ErrSSOManaged (unwrapped) for an SSO account,
// ErrNotFound (wrapped). It never hashes. Safe for concurrent use.
func (s *Service) CheckPassword(ctx context.Context, userID, password string) error {
	pol, err := s.localAccountPolicy(ctx, userID, true)
	if err != nil {
		return err
	}
	rec, err := s.get(ctx, userID)
	if err != nil {
		return err
	}
	_, vs := pol.Password.check(password, rec.Profile, nil)
	if len(vs) == 0 {
		return nil
	}
	return passwordError(s.msgs, s.lang.userTag(rec), vs)
}

// reserveAttempt takes one verification slot of the user's attempt window
// in a compare-and-swap write and returns the record written. It returns
// ErrTooManyAttempts when the window's slots are used up, ErrNotFound for
// an unknown user.
func (s *Service) reserveAttempt(ctx context.Context, userID string, pp PasswordPolicy) (Record, error) {
	return s.modify(ctx, userID, func(r *Record) error {
		now := s.clock()
		ps := &r.Password
		if ps.WindowStart.IsZero() || now.Sub(ps.WindowStart) >= pp.AttemptWindow {
			ps.FailedAttempts, ps.WindowStart = 0, now
		}
		if ps.FailedAttempts >= pp.MaxAttempts {
			return &TooManyAttemptsError{wait: ps.WindowStart.Add(pp.AttemptWindow).Sub(now)}
		}
		ps.FailedAttempts++
		return nil
	})
}

// releaseAttempts resets the attempt count after a successful
// verification of hash and, when fresh is set and the stored hash is still
// hash, replaces it with fresh (a rehash of the same password).
func (s *Service) releaseAttempts(ctx context.Context, userID, hash, fresh string) error {
	_, err := s.modify(ctx, userID, func(r *Record) error {
		ps := &r.Password
		rehash := fresh != "" && ps.Hash == hash
		if ps.FailedAttempts == 0 && ps.WindowStart.IsZero() && !rehash {
			return errNoChange
		}
		ps.FailedAttempts, ps.WindowStart = 0, time.Time{}
		if rehash {
			ps.Hash = fresh
		}
		return nil
	})
	return err
}

// storeHash replaces the user's hash by hash in one compare-and-swap
// write: the replaced hash enters the history (kept to keep entries), the
// attempt count resets. When old is not nil it is the hash the caller
// verified, and ErrConflict is returned if the stored hash is no longer
// that one.
func (s *Service) storeHash(ctx context.Context, userID string, old *string, hash string, keep int) error {
	_, err := s.modify(ctx, userID, func(r *Record) error {
		ps := &r.Password
		if old != nil && ps.Hash != *old {
			return fmt.Errorf("profile: password of %q changed meanwhile: %w", userID, ErrConflict)
		}
		old := ps.Hash
		var hist []string
		if keep > 0 {
			if old != "" {
				hist = append(hist, old)
			}
			hist = append(hist, ps.History...)
			hist = hist[:min(len(hist), keep)]
		}
		ps.Hash, ps.History = hash, hist
		ps.ChangedAt = s.clock()
		ps.FailedAttempts, ps.WindowStart = 0, time.Time{}
		return nil
	})
	return err
}

// inHistory reports whether pw matches one of the newest n hashes of
// history. Every entry costs one hash computation.
func (s *Service) inHistory(ctx context.Context, pw string, history []string, n int) (bool, error) {
	found := false
	for _, h := range history[:min(len(history), n)] {
		ok, _, err := s.pw.verify(ctx, pw, h)
		if err != nil {
			return false, err
		}
		found = found || ok
	}
	return found, nil
}
