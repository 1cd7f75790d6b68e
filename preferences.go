package profile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/profilekit/profile/internal/i18n"
)

var i18nEnglish = language.English

// Caps on language input, in bytes, applied before any parsing so that a
// huge input costs nothing.
const (
	// MaxLanguageTagLen caps the tag given to SetLanguage.
	MaxLanguageTagLen = 64
	// MaxAcceptLanguageLen caps the Accept-Language header given to
	// ResolveLanguage; a longer header keeps its entries that fit.
	MaxAcceptLanguageLen = 1024
)

// Preferences is the Preferences tab of one user.
type Preferences struct {
	// Language is the preferred language as a supported BCP 47 tag; empty
	// until the user chooses one.
	Language string `json:"language,omitempty"`
}

// languages is the Service's language state, built once by New and
// read-only afterwards (the lazily built dropdowns are guarded by
// sync.OnceValue), so it is safe for concurrent use.
type languages struct {
	supported []language.Tag
	tags      []string        // tags[i] is supported[i].String()
	bases     []language.Base // bases[i] is supported[i]'s language
	index     map[string]int  // tags[i] → i
	matcher   language.Matcher
	// dropdowns[i] returns the options sorted for a user whose language is
	// supported[i], built on first use.
	dropdowns []func() []LanguageOption
}

// init validates the configured tags (every shipped catalog when empty) and
// builds the matcher once.
func (l *languages) init(cfg []string) error {
	if len(cfg) == 0 {
		l.supported = i18n.Shipped()
	} else {
		l.supported = make([]language.Tag, 0, len(cfg))
		for i, s := range cfg {
			if len(s) > MaxLanguageTagLen {
				return fmt.Errorf("[%d]: longer than %d bytes", i, MaxLanguageTagLen)
			}
			t, err := language.Parse(s)
			if err != nil {
				return fmt.Errorf("[%d] %q: %w", i, s, err)
			}
			if !hasLanguage(t) {
				return fmt.Errorf("[%d] %q: not a language", i, s)
			}
			if j := slices.IndexFunc(l.supported, func(u language.Tag) bool { return u.String() == t.String() }); j >= 0 {
				return fmt.Errorf("[%d] %q: duplicates [%d] %q", i, s, j, cfg[j])
			}
			l.supported = append(l.supported, t)
		}
	}
	if len(l.supported) == 0 {
		return errors.New("no language")
	}
	l.tags = make([]string, len(l.supported))
	l.index = make(map[string]int, len(l.supported))
	l.bases = make([]language.Base, len(l.supported))
	l.dropdowns = make([]func() []LanguageOption, len(l.supported))
	supported, tags := l.supported, l.tags
	for i, t := range supported {
		tags[i] = t.String()
		l.index[tags[i]] = i
		l.bases[i], _ = t.Base()
		l.dropdowns[i] = sync.OnceValue(func() []LanguageOption { return buildDropdown(supported, tags, i) })
	}
	l.matcher = language.NewMatcher(l.supported)
	return nil
}

// defaultTag is the host's default language.
func (l *languages) defaultTag() language.Tag { return l.supported[0] }

// userTag is the user's current language: the stored preference while it is
// still supported, else the default.
func (l *languages) userTag(rec Record) language.Tag {
	i, _ := l.find(rec.Preferences.Language)
	return l.supported[i]
}

// parseOrDefault parses a stored or requested tag, falling back to the
// default language. The tag need not be supported: messages use the closest
// catalog.
func (l *languages) parseOrDefault(tag string) language.Tag {
	return parseTag(tag, l.defaultTag())
}

// find returns the index of the supported language tag stands for: the
// same tag, or one the matcher rates an exact or high-confidence match. It
// returns 0 (the default) and false otherwise.
func (l *languages) find(tag string) (int, bool) {
	if i, ok := l.index[tag]; ok {
		return i, true
	}
	if tag == "" || len(tag) > MaxLanguageTagLen {
		return 0, false
	}
	t, err := language.Parse(tag)
	if err != nil || !hasLanguage(t) {
		return 0, false
	}
	_, i, conf := l.matcher.Match(t)
	if conf < language.High {
		return 0, false
	}
	return i, true
}

// hasLanguage reports whether t names a language explicitly: "und",
// "und-Latn" or a private-use tag do not, even where the matcher would
// guess one.
func hasLanguage(t language.Tag) bool {
	_, conf := t.Base()
	return conf == language.Exact
}

// fromAccept returns the index of the supported language that best matches
// an Accept-Language header, honouring its q-values; false when the header
// is empty, malformed or matches nothing with high confidence.
func (l *languages) fromAccept(h string) (int, bool) {
	if i, ok := l.index[h]; ok {
		return i, true // a header of one supported tag, e.g. "de"
	}
	if h == "" {
		return 0, false
	}
	if len(h) > MaxAcceptLanguageLen {
		// Keep the whole entries that fit; the most preferred languages
		// come first in practice.
		cut := strings.LastIndexByte(h[:MaxAcceptLanguageLen+1], ',')
		if cut <= 0 {
			return 0, false
		}
		h = h[:cut]
	}
	want, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(want) == 0 {
		return 0, false
	}
	_, i, conf := l.matcher.Match(want...)
	if conf < language.High {
		return 0, false
	}
	return i, true
}

// choose maps a tag from SetLanguage to a supported index, or returns a
// *LanguageError.
func (l *languages) choose(tag string) (int, error) {
	if i, ok := l.index[tag]; ok {
		return i, nil
	}
	if tag == "" || len(tag) > MaxLanguageTagLen {
		return 0, l.unsupported(tag, language.Und, -1)
	}
	t, err := language.Parse(tag)
	if err != nil || !hasLanguage(t) {
		return 0, l.unsupported(tag, t, -1)
	}
	_, i, conf := l.matcher.Match(t)
	switch conf {
	case language.Exact, language.High:
		return i, nil
	case language.Low:
		return 0, l.unsupported(tag, t, i)
	}
	return 0, l.unsupported(tag, t, -1)
}

// unsupported builds the error for a refused tag: the supported languages
// with the same base language, then low (the matcher's low-confidence
// choice, if not -1), or the default when nothing is close.
func (l *languages) unsupported(requested string, t language.Tag, low int) *LanguageError {
	e := &LanguageError{Requested: sanitizeTag(requested)}
	if base, conf := t.Base(); conf == language.Exact {
		for i, b := range l.bases {
			if b == base {
				e.Suggestions = append(e.Suggestions, l.tags[i])
			}
		}
	}
	if low >= 0 && !slices.Contains(e.Suggestions, l.tags[low]) {
		e.Suggestions = append(e.Suggestions, l.tags[low])
	}
	if len(e.Suggestions) == 0 {
		e.Suggestions = []string{l.tags[0]}
	}
	return e
}

// sanitizeTag makes a refused tag safe to show and log: at most
// MaxLanguageTagLen bytes, each invalid byte or unprintable rune replaced
// by '?'.
func sanitizeTag(s string) string {
	if len(s) > MaxLanguageTagLen {
		s = s[:MaxLanguageTagLen]
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			b.WriteByte('?')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LanguageError reports a language SetLanguage refused: it is not
// supported, nor close enough to a supported one. errors.Is(err,
// ErrUnsupportedLanguage) is true for it.
type LanguageError struct {
	// Requested is the tag as received, cut to MaxLanguageTagLen bytes,
	// with invalid or unprintable characters replaced by '?'.
	Requested string
	// Suggestions lists the closest supported tags, best first: those of
	// the same language in another script or region, else the default
	// language. It is never empty.
	Suggestions []string
}

// Error names the requested tag and the suggestions.
func (e *LanguageError) Error() string {
	return fmt.Sprintf("profile: unsupported language %q (closest supported: %s)", e.Requested, strings.Join(e.Suggestions, ", "))
}

// Is reports whether target is ErrUnsupportedLanguage.
func (e *LanguageError) Is(target error) bool { return target == ErrUnsupportedLanguage }

// PreferencesView is the Preferences tab of a Page.
type PreferencesView struct {
	// Language is the user's current language: the stored preference, or
	// the default language until the user chooses one.
	Language string
	// Options is the language dropdown, as Languages returns it.
	Options []LanguageOption
}

func (s *Service) preferencesView(rec Record, _ language.Tag) PreferencesView {
	i, _ := s.lang.find(rec.Preferences.Language)
	return PreferencesView{Language: s.lang.tags[i], Options: s.lang.dropdown(i)}
}

// LanguageOption is one entry of the language dropdown.
type LanguageOption struct {
	// Tag is the BCP 47 tag to send to SetLanguage.
	Tag string `json:"tag"`
	// SelfName is the language's name in itself, e.g. "Deutsch",
	// "português (Brasil)".
	SelfName string `json:"self_name"`
	// Name is the language's name in the user's current language.
	Name string `json:"name"`
	// Selected marks the user's current language.
	Selected bool `json:"selected"`
}

// dropdown returns a fresh copy of the options for a user whose language is
// supported[cur], with that language selected.
func (l *languages) dropdown(cur int) []LanguageOption {
	opts := slices.Clone(l.dropdowns[cur]())
	for i := range opts {
		opts[i].Selected = opts[i].Tag == l.tags[cur]
	}
	return opts
}

// buildDropdown names every supported language in supported[cur] and sorts
// the options by that language's collation. It runs once per language.
func buildDropdown(supported []language.Tag, tags []string, cur int) []LanguageOption {
	user := supported[cur]
	in := display.Tags(user)
	opts := make([]LanguageOption, len(supported))
	for i, t := range supported {
		opts[i] = LanguageOption{Tag: tags[i], SelfName: selfName(t), Name: nameIn(in, t)}
	}
	// A Collator is not safe for concurrent use: this one is local.
	col := collate.New(user)
	slices.SortStableFunc(opts, func(a, b LanguageOption) int { return col.CompareString(a.Name, b.Name) })
	return opts
}

// selfName is t's name in t itself, region or script included where they
// tell two options apart, falling back to the English name, then the tag.
func selfName(t language.Tag) string {
	if n := display.Tags(t); n != nil {
		if s := n.Name(t); s != "" {
			return s
		}
	}
	if s := display.Self.Name(t); s != "" {
		return s
	}
	return nameIn(nil, t)
}

// nameIn is t's name from namer, falling back to English, then the tag.
func nameIn(namer display.Namer, t language.Tag) string {
	if namer != nil {
		if s := namer.Name(t); s != "" {
			return s
		}
	}
	if s := display.English.Tags().Name(t); s != "" {
		return s
	}
	return t.String()
}

// Languages returns the options of the user's language dropdown: every
// supported language with its tag, its name in itself and its name in the
// user's current language, sorted by that language's collation, the
// current choice (the default until the user chooses) marked Selected. The
// slice is the caller's. It returns ErrFeatureDisabled when the Preferences
// tab is off for the user, ErrNotFound for an unknown user and
// ErrInvalidUserID for a malformed ID. Safe for concurrent use.
func (s *Service) Languages(ctx context.Context, userID string) ([]LanguageOption, error) {
	if _, err := s.requireFeature(ctx, userID, featurePreferences); err != nil {
		return nil, err
	}
	rec, err := s.get(ctx, userID)
	if err != nil {
		return nil, err
	}
	i, _ := s.lang.find(rec.Preferences.Language)
	return s.lang.dropdown(i), nil
}

// SetLanguage stores the user's preferred language and returns the stored
// preferences. tag is a BCP 47 tag of at most MaxLanguageTagLen bytes; it
// is matched against the supported languages (Config.Languages) and the
// supported tag is stored: "de-CH" stores "de", "en-GB" stores "en" when
// only "en" is supported, "pt" stores "pt-BR". A tag that is neither
// supported nor a high-confidence match of one ("zh-TW" when only
// "zh-Hans" is supported, garbage, empty or too long input) returns a
// *LanguageError (errors.Is ErrUnsupportedLanguage) listing the closest
// supported tags. It returns ErrFeatureDisabled when the Preferences tab is
// off for the user, ErrNotFound for an unknown user, ErrInvalidUserID for a
// malformed ID; on any error nothing changes. A change emits
// EventLanguageChanged with the new tag; choosing the current language
// again writes and emits nothing. Safe for concurrent use.
func (s *Service) SetLanguage(ctx context.Context, userID, tag string) (Preferences, error) {
	if _, err := s.requireFeature(ctx, userID, featurePreferences); err != nil {
		return Preferences{}, err
	}
	i, err := s.lang.choose(tag)
	if err != nil {
		return Preferences{}, err
	}
	want := s.lang.tags[i]
	changed := false
	rec, err := s.modify(ctx, userID, func(r *Record) error {
		changed = r.Preferences.Language != want
		if !changed {
			return errNoChange
		}
		r.Preferences.Language = want
		return nil
	})
	if err != nil {
		return Preferences{}, err
	}
	if changed {
		s.emit(ctx, EventLanguageChanged, userID, []string{want})
	}
	return rec.Preferences, nil
}

// ResolveLanguage returns the supported language tag to use for a request,
// in this order:
//
//  1. the stored preference of userID, while it is still supported (userID
//     may be "" for an anonymous request; an unknown user or a store error
//     skips this step);
//  2. the best high-confidence match of the Accept-Language header, with
//     its q-values (a header over MaxAcceptLanguageLen bytes keeps the
//     entries that fit; a malformed header is ignored);
//  3. the default language, Config.Languages[0].
//
// The stored preference counts even while the Preferences tab is off for
// the user: the administrator hid the control, not the choice. It never
// fails. Safe for concurrent use.
func (s *Service) ResolveLanguage(ctx context.Context, userID, acceptLanguage string) string {
	if userID != "" && checkUserID(userID) == nil {
		if rec, err := s.store.Get(ctx, userID); err == nil && rec.Preferences.Language != "" {
			if i, ok := s.lang.find(rec.Preferences.Language); ok {
				return s.lang.tags[i]
			}
		}
	}
	if i, ok := s.lang.fromAccept(acceptLanguage); ok {
		return s.lang.tags[i]
	}
	return s.lang.tags[0]
}
