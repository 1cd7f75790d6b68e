package profile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/profilekit/profile/internal/blocklist"
	"github.com/profilekit/profile/internal/i18n"
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

// PasswordPolicy holds the administrator's password rules. The zero value
// of each field means its documented default, so PasswordPolicy{} is the
// default rule set.
//
// Passwords are normalised with PRECIS OpaqueString (RFC 8265) before
// anything is counted, compared or hashed: non-ASCII spaces become U+0020,
// the text is put in Unicode NFC, and control characters, unassigned code
// points, default-ignorable characters (such as U+00AD soft hyphen and the
// emoji variation selector U+FE0F in "❤️") and joiners outside their
// allowed context (such as the U+200D in family or profession emoji
// sequences) are refused, with a "disallowed_chars" violation naming them. Lengths count runes
// (characters) after that normalisation, never bytes. A password of more
// than MaxPasswordBytes bytes is refused before any other work.
//
// A PasswordPolicy is a plain value: Validate and Describe may be called on
// it from any goroutine, without a Service or a Store.
type PasswordPolicy struct {
	// MinLength is the fewest runes allowed. 0: DefaultMinLength (8).
	MinLength int
	// MaxLength is the most runes allowed. 0: DefaultMaxLength (64), at
	// most MaxPasswordBytes/4. NIST SP 800-63B asks verifiers to allow at
	// least 64 characters so that long passphrases fit; a lower maximum
	// pushes users towards short, guessable passwords.
	MaxLength int
	// MinUpper, MinLower, MinDigit and MinSymbol are the fewest characters
	// of each class. 0: no constraint. The classes cover every script:
	// letters that have case (Unicode Lu, Lt and Ll; Latin, Greek,
	// Cyrillic, ...) count as upper or lower; Unicode decimal digits (Nd,
	// in any script) count as digits; everything else counts as a symbol:
	// punctuation, symbols, spaces, emoji, and letters of scripts without
	// case such as CJK, Arabic or Hebrew. So a non-ASCII character is never
	// a class of its own: it is an upper, lower, digit or symbol as above.
	MinUpper  int
	MinLower  int
	MinDigit  int
	MinSymbol int
	// MaxRepeat is the most times one character may appear in a row
	// ("aaa" repeats 'a' 3 times). 0: no limit.
	MaxRepeat int
	// AllowPersonalInfo turns off the rule that a password must not
	// contain the user's first name, last name, username or email local
	// part. The rule looks at each word of those (split at spaces,
	// hyphens, dots, underscores, '+', apostrophes and '@') of at least 3
	// runes and compares case-insensitively.
	AllowPersonalInfo bool
	// History is how many previous passwords ChangePassword refuses to
	// reuse, 0 to 24. They are kept as hashes in PasswordState.History.
	// 0: none.
	History int
	// DisableBlocklist turns off the embedded list of about 49,000 common
	// passwords (exact match, case-insensitive). The list is on by
	// default.
	DisableBlocklist bool
	// Blocklist adds the host's own refused words, such as company and
	// product names: a password that contains one of them
	// (case-insensitively) is refused as common. Each word must be valid
	// UTF-8 of 3 to 64 runes. It applies even when DisableBlocklist is set.
	Blocklist []string
	// MaxAttempts is how many wrong current passwords are accepted within
	// AttemptWindow before ErrTooManyAttempts. 0: DefaultMaxAttempts (5).
	MaxAttempts int
	// AttemptWindow is the window for MaxAttempts, starting at the first
	// attempt after the previous window ended. 0: DefaultAttemptWindow
	// (15 minutes).
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
	p = p.withDefaults()
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
	for i, w := range p.Blocklist {
		if !utf8.ValidString(w) {
			return p, fmt.Errorf("Blocklist[%d] is not valid UTF-8", i)
		}
		if n := utf8.RuneCountInString(w); n < 3 || n > 64 {
			return p, fmt.Errorf("Blocklist[%d] has %d runes, want 3 to 64", i, n)
		}
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

// requireFeature checks userID and returns the user's policy, or
// ErrFeatureDisabled (wrapped) when ft is off for the user.
func (s *Service) requireFeature(ctx context.Context, userID string, ft feature) (Policy, error) {
	if err := checkUserID(userID); err != nil {
		return Policy{}, err
	}
	pol, err := s.policyOf(ctx, userID)
	if err != nil {
		return Policy{}, err
	}
	if !pol.Features.has(ft) {
		return Policy{}, fmt.Errorf("profile: %s of %q: %w", featureNames[ft], userID, ErrFeatureDisabled)
	}
	return pol, nil
}

// featureNames names each tab in error messages.
var featureNames = [...]string{
	featurePersonalInfo: "personal information",
	featurePreferences:  "preferences",
	featurePassword:     "password",
	featureAPIToken:     "API token",
}

// Field keys of the Password tab, as used in Violation.Field.
const (
	FieldCurrentPassword = "current_password"
	FieldNewPassword     = "new_password"
	FieldConfirmPassword = "confirm_password"
)

// Validate checks password against every rule of p that needs no stored
// data (all but History) and returns nil, or a *ValidationError listing
// every broken rule at once with English messages. user supplies the
// personal information the password must not contain; pass the zero
// Profile when there is none yet. Each Violation has Field
// FieldNewPassword, a stable Rule key and Params:
//
//	required                       the password is empty
//	invalid_utf8                   not valid UTF-8 (nothing else is checked)
//	disallowed_chars {chars}       PRECIS refuses these characters, e.g. "U+0007"
//	disallowed_combination         PRECIS refuses a combination of allowed characters
//	min_length {min}, max_length {max}
//	min_upper {min}, min_lower {min}, min_digit {min}, min_symbol {min}
//	max_repeat {max}               one character more than max times in a row
//	personal_info                  contains the user's name, username or email local part
//	common                         in the blocklist, or contains a host word
//
// An input over MaxPasswordBytes gets max_length and nothing else is done.
// Validate returns a plain error (not a *ValidationError) when p itself is
// invalid, as New would. It does not allocate when the password is valid
// and made of ASCII, Latin letters, kana, CJK ideographs or Hangul (the
// characters PRECIS leaves as they are). Safe for concurrent use.
func (p PasswordPolicy) Validate(password string, user Profile) error {
	return p.ValidateLang("en", password, user)
}

// ValidateLang is Validate with messages in the language lang (a BCP 47
// tag; unknown or empty means English), for a page that checks as the user
// types. Safe for concurrent use.
func (p PasswordPolicy) ValidateLang(lang, password string, user Profile) error {
	pp, err := p.normalize()
	if err != nil {
		return fmt.Errorf("profile: PasswordPolicy: %w", err)
	}
	_, vs := pp.check(password, user, nil)
	if len(vs) == 0 {
		return nil
	}
	return passwordError(i18n.Default(), parseLang(lang), vs)
}

// Describe returns p's rules as short sentences in the language lang (a
// BCP 47 tag; unknown or empty means English), for showing beside the
// password form before the user types, e.g. "At least 8 characters". The
// slice is the caller's. Safe for concurrent use.
func (p PasswordPolicy) Describe(lang string) []string {
	return p.describe(i18n.Default(), parseLang(lang))
}

func (p PasswordPolicy) describe(b *i18n.Bundle, tag language.Tag) []string {
	p = p.withDefaults()
	out := make([]string, 0, 10)
	out = append(out, b.Sprintf(tag, "describe.min_length", p.MinLength))
	out = append(out, b.Sprintf(tag, "describe.max_length", p.MaxLength))
	for _, c := range [...]struct {
		n   int
		key string
	}{{p.MinUpper, "describe.min_upper"}, {p.MinLower, "describe.min_lower"}, {p.MinDigit, "describe.min_digit"}, {p.MinSymbol, "describe.min_symbol"}} {
		if c.n > 0 {
			out = append(out, b.Sprintf(tag, c.key, c.n))
		}
	}
	if p.MaxRepeat > 0 {
		out = append(out, b.Sprintf(tag, "describe.max_repeat", p.MaxRepeat))
	}
	if !p.AllowPersonalInfo {
		out = append(out, b.Sprintf(tag, "describe.personal"))
	}
	if p.History > 0 {
		out = append(out, b.Sprintf(tag, "describe.history", p.History))
	}
	if !p.DisableBlocklist || len(p.Blocklist) > 0 {
		out = append(out, b.Sprintf(tag, "describe.blocklist"))
	}
	return out
}

// withDefaults fills the zero fields with their defaults, without
// validating.
func (p PasswordPolicy) withDefaults() PasswordPolicy {
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
	return p
}

// parseLang parses a BCP 47 tag, English when it is empty or invalid.
func parseLang(lang string) language.Tag { return parseTag(lang, language.English) }

// parseTag parses a BCP 47 tag of at most MaxLanguageTagLen bytes,
// returning fallback when it is empty, too long or invalid.
func parseTag(tag string, fallback language.Tag) language.Tag {
	if tag == "" || len(tag) > MaxLanguageTagLen {
		return fallback
	}
	t, err := language.Parse(tag)
	if err != nil {
		return fallback
	}
	return t
}

// passwordKeys maps a password Rule to its catalog key and the Params entry
// the message takes (empty: none).
var passwordKeys = map[string]struct{ key, param string }{
	"required":               {"password.required", ""},
	"invalid_utf8":           {"password.invalid_utf8", ""},
	"disallowed_chars":       {"password.disallowed_chars", "chars"},
	"disallowed_combination": {"password.disallowed_combination", ""},
	"min_length":             {"password.too_short", "min"},
	"max_length":             {"password.too_long", "max"},
	"min_upper":              {"password.min_upper", "min"},
	"min_lower":              {"password.min_lower", "min"},
	"min_digit":              {"password.min_digit", "min"},
	"min_symbol":             {"password.min_symbol", "min"},
	"max_repeat":             {"password.max_repeat", "max"},
	"personal_info":          {"password.contains_personal", ""},
	"common":                 {"password.common", ""},
	"reused":                 {"password.reused", "count"},
	"mismatch":               {"password.mismatch", ""},
	"same_as_current":        {"password.same_as_current", ""},
}

// passwordError localises the password violations vs in language tag and
// returns them as one *ValidationError.
func passwordError(b *i18n.Bundle, tag language.Tag, vs []Violation) error {
	for i := range vs {
		vs[i] = localizePassword(b, tag, vs[i])
	}
	return &ValidationError{Violations: vs}
}

// localizePassword fills v.Message from the catalog in language tag.
func localizePassword(b *i18n.Bundle, tag language.Tag, v Violation) Violation {
	if v.Field == FieldCurrentPassword && v.Rule == "required" {
		v.Message = b.Sprintf(tag, "password.current_required")
		return v
	}
	k, ok := passwordKeys[v.Rule]
	switch {
	case !ok:
		v.Message = b.Sprintf(tag, "error.internal")
	case k.param == "":
		v.Message = b.Sprintf(tag, k.key)
	default:
		v.Message = b.Sprintf(tag, k.key, v.Params[k.param])
	}
	return v
}

// check normalises password and appends a Violation (without Message) for
// each broken rule of p but History to vs. p must be normalised. It returns
// the normalised password, or "" when the password could not be
// normalised. It allocates only when it finds a violation or the password
// has characters outside the fast path (see isStable).
func (p PasswordPolicy) check(password string, user Profile, vs []Violation) (string, []Violation) {
	add := func(rule string, params map[string]any) {
		vs = append(vs, Violation{Field: FieldNewPassword, Rule: rule, Params: params})
	}
	pw, rule, bad := normalizePassword(password)
	switch rule {
	case "":
	case "disallowed_chars":
		if bad == "" {
			// Only a combination is refused: name no character, since
			// each one is allowed and may be the password's own.
			add("disallowed_combination", nil)
		} else {
			add(rule, map[string]any{"chars": bad})
		}
		return "", vs
	case "max_length":
		add(rule, map[string]any{"max": p.MaxLength})
		return "", vs
	default:
		add(rule, nil)
		return "", vs
	}
	st := scan(pw)
	if st.runes < p.MinLength {
		add("min_length", map[string]any{"min": p.MinLength})
	}
	if st.runes > p.MaxLength {
		add("max_length", map[string]any{"max": p.MaxLength})
	}
	if st.upper < p.MinUpper {
		add("min_upper", map[string]any{"min": p.MinUpper})
	}
	if st.lower < p.MinLower {
		add("min_lower", map[string]any{"min": p.MinLower})
	}
	if st.digit < p.MinDigit {
		add("min_digit", map[string]any{"min": p.MinDigit})
	}
	if st.symbol < p.MinSymbol {
		add("min_symbol", map[string]any{"min": p.MinSymbol})
	}
	if p.MaxRepeat > 0 && st.maxRun > p.MaxRepeat {
		add("max_repeat", map[string]any{"max": p.MaxRepeat})
	}
	if !p.AllowPersonalInfo && containsPersonal(pw, user) {
		add("personal_info", nil)
	}
	if p.isCommon(pw) {
		add("common", nil)
	}
	return pw, vs
}

// isCommon reports whether pw is in the embedded blocklist (unless
// disabled) or contains one of the host's words.
func (p PasswordPolicy) isCommon(pw string) bool {
	for _, w := range p.Blocklist {
		if containsFold(pw, w) {
			return true
		}
	}
	return !p.DisableBlocklist && blocklist.Contains(pw)
}

// stats are the counts the length and class rules need.
type stats struct {
	runes, upper, lower, digit, symbol, maxRun int
}

// scan counts runes and character classes of a normalised password and
// finds the longest run of one character.
func scan(pw string) stats {
	var st stats
	var prev rune = -1
	run := 0
	for i := 0; i < len(pw); {
		r, size := rune(pw[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(pw[i:])
		}
		i += size
		st.runes++
		switch {
		case 'a' <= r && r <= 'z':
			st.lower++
		case 'A' <= r && r <= 'Z':
			st.upper++
		case '0' <= r && r <= '9':
			st.digit++
		case r < utf8.RuneSelf || isCaselessCJK(r):
			st.symbol++
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			st.upper++
		case unicode.IsLower(r):
			st.lower++
		case unicode.IsDigit(r):
			st.digit++
		default:
			st.symbol++
		}
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		st.maxRun = max(st.maxRun, run)
	}
	return st
}

// isCaselessCJK reports whether r is in the kana, CJK and Hangul blocks
// (U+3040..U+9FFF, U+AC00..U+D7AF), which hold no cased letter and no
// decimal digit: a shortcut past the Unicode tables for the most common
// non-Latin passwords. A test checks the claim rune by rune.
func isCaselessCJK(r rune) bool {
	return (r >= 0x3040 && r <= 0x9fff) || (r >= 0xac00 && r <= 0xd7af)
}

// containsPersonal reports whether pw contains, case-insensitively, a word
// of at least 3 runes of the user's first name, last name, username or
// email local part.
func containsPersonal(pw string, u Profile) bool {
	ascii := isASCII(pw)
	local := u.Email
	if at := strings.LastIndexByte(local, '@'); at >= 0 {
		local = local[:at]
	}
	for _, part := range [...]string{u.FirstName, u.LastName, u.Username, local} {
		for part != "" {
			var word string
			word, part = nextWord(part)
			if len(word) >= 3 && utf8.RuneCountInString(word) >= 3 && containsFoldHint(pw, ascii, word) {
				return true
			}
		}
	}
	return false
}

// nextWord returns the text of s up to its first word separator (space,
// '-', '.', '_', '+', apostrophe, '@' or any Unicode space) and the rest
// after that separator.
func nextWord(s string) (word, rest string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ', '-', '.', '_', '+', '\'', '@', '\t', '\n', '\v', '\f', '\r':
				return s[:i], s[i+1:]
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2019' || unicode.IsSpace(r) {
			return s[:i], s[i+size:]
		}
		i += size
	}
	return s, ""
}

// containsFold reports whether sub occurs in s under Unicode simple case
// folding, without allocating. Both must be valid UTF-8.
func containsFold(s, sub string) bool {
	return containsFoldHint(s, isASCII(s), sub)
}

// containsFoldHint is containsFold when the caller already knows whether s
// is ASCII.
func containsFoldHint(s string, sASCII bool, sub string) bool {
	if sub == "" {
		return true
	}
	if sASCII && isASCII(sub) {
		return containsFoldASCII(s, sub)
	}
	// Only positions whose rune is in the case orbit of sub's first rune
	// (at most a handful of runes, e.g. k, K and the Kelvin sign) can
	// start a match: compare against them before any folding.
	first, fsize := utf8.DecodeRuneInString(sub)
	rest := sub[fsize:]
	var orbit [4]rune
	n := 0
	orbit[n], n = first, 1
	asciiOrbit := first < utf8.RuneSelf
	for f := unicode.SimpleFold(first); f != first && n < len(orbit); f = unicode.SimpleFold(f) {
		orbit[n], n = f, n+1
		asciiOrbit = asciiOrbit && f < utf8.RuneSelf
	}
	if asciiOrbit {
		// An ASCII byte never occurs inside a multi-byte UTF-8 sequence, so
		// the candidates can be found with a byte search.
		lo, up := byte(orbit[0]), byte(orbit[n-1])
		for i := 0; i < len(s); i++ {
			j := indexEither(s[i:], lo, up)
			if j < 0 {
				return false
			}
			i += j
			if hasPrefixFold(s[i+1:], rest) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		for _, o := range orbit[:n] {
			if r == o {
				if hasPrefixFold(s[i:], rest) {
					return true
				}
				break
			}
		}
	}
	return false
}

// containsFoldASCII is containsFold for ASCII s and sub. It jumps between
// occurrences of sub's first byte (either case) with strings.IndexByte.
func containsFoldASCII(s, sub string) bool {
	lo := lowerASCII(sub[0])
	up := lo
	if 'a' <= lo && lo <= 'z' {
		up = lo - ('a' - 'A')
	}
	last := len(s) - len(sub)
	for i := 0; i <= last; i++ {
		j := indexEither(s[i:last+1], lo, up)
		if j < 0 {
			return false
		}
		i += j
		k := 1
		for k < len(sub) && lowerASCII(s[i+k]) == lowerASCII(sub[k]) {
			k++
		}
		if k == len(sub) {
			return true
		}
	}
	return false
}

// indexEither returns the index of the first a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i] // b only matters before the first a
	}
	if j := strings.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with prefix under simple case
// folding.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		a, as := utf8.DecodeRuneInString(s)
		b, bs := utf8.DecodeRuneInString(prefix)
		if !equalFoldRune(a, b) {
			return false
		}
		s, prefix = s[as:], prefix[bs:]
	}
	return true
}

// equalFoldRune reports whether a and b are equal under simple case
// folding, as strings.EqualFold does for one rune.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}
