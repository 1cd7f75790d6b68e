package profile_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/profilekit/profile"
)

// prefsSeeds are inputs for both fuzz targets: tags and Accept-Language
// headers, well-formed and not.
var prefsSeeds = []string{
	"", "de", "DE", "de-CH", "en-GB", "pt", "pt-PT", "zh-TW", "zh-Hant", "zh-Hans-CN",
	"nl-BE", "und", "und-Latn", "*", "x-klingon", "i-klingon", "de-u-co-phonebk",
	"en-x-foo", "xx", "de-", "!!", "\x00", "\xff\xfe", "de;q=0.5, fr;q=0.9",
	"zh-TW, de;q=0.5", "en;q=abc", "de;q=0", "a-b-c-d-e-f-g-h-i-j-k-l", "en-US-u-rg-gbzzzz",
	strings.Repeat("de-", 40), strings.Repeat("-", 1100),
}

// FuzzSetLanguage: SetLanguage never panics; it stores a supported tag or
// returns a sanitised *LanguageError with supported suggestions and changes
// nothing.
func FuzzSetLanguage(f *testing.F) {
	for _, s := range prefsSeeds {
		f.Add(s)
	}
	fx := newPrefsFixture(f, eightLanguages, nil)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, tag string) {
		before, err := fx.store.Get(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		prefs, err := fx.svc.SetLanguage(ctx, "alice", tag)
		after, gerr := fx.store.Get(ctx, "alice")
		if gerr != nil {
			t.Fatal(gerr)
		}
		if err == nil {
			if !slices.Contains(eightLanguages, prefs.Language) || after.Preferences.Language != prefs.Language {
				t.Fatalf("SetLanguage(%q) stored %q, returned %q", tag, after.Preferences.Language, prefs.Language)
			}
			return
		}
		var le *profile.LanguageError
		if !errors.As(err, &le) || !errors.Is(err, profile.ErrUnsupportedLanguage) {
			t.Fatalf("SetLanguage(%q): unexpected error %v", tag, err)
		}
		if len(le.Requested) > profile.MaxLanguageTagLen || !utf8.ValidString(le.Requested) ||
			strings.ContainsFunc(le.Requested, func(r rune) bool { return !unicode.IsPrint(r) }) {
			t.Fatalf("SetLanguage(%q): Requested not sanitised: %q", tag, le.Requested)
		}
		if len(le.Suggestions) == 0 {
			t.Fatalf("SetLanguage(%q): no suggestion", tag)
		}
		for _, s := range le.Suggestions {
			if !slices.Contains(eightLanguages, s) {
				t.Fatalf("SetLanguage(%q): suggestion %q is not supported", tag, s)
			}
		}
		if before.Revision != after.Revision || before.Preferences != after.Preferences {
			t.Fatalf("SetLanguage(%q) failed but changed the record", tag)
		}
	})
}

// FuzzResolveLanguage: ResolveLanguage never panics and always returns a
// supported tag, for a stored tag and any Accept-Language header.
func FuzzResolveLanguage(f *testing.F) {
	for i, s := range prefsSeeds {
		f.Add(prefsSeeds[(i+3)%len(prefsSeeds)], s)
	}
	fx := newPrefsFixture(f, eightLanguages, nil)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, tag, accept string) {
		// The stored preference is whatever SetLanguage accepted, if anything.
		_, _ = fx.svc.SetLanguage(ctx, "alice", tag)
		stored := ""
		if rec, err := fx.store.Get(ctx, "alice"); err == nil {
			stored = rec.Preferences.Language
		}
		got := fx.svc.ResolveLanguage(ctx, "alice", accept)
		if stored != "" && got != stored {
			t.Fatalf("ResolveLanguage(alice, %q) = %q, stored preference %q", accept, got, stored)
		}
		if !slices.Contains(eightLanguages, got) {
			t.Fatalf("ResolveLanguage(alice, %q) = %q: not supported", accept, got)
		}
		for _, user := range []string{"", tag} {
			if got := fx.svc.ResolveLanguage(ctx, user, accept); !slices.Contains(eightLanguages, got) {
				t.Fatalf("ResolveLanguage(%q, %q) = %q: not supported", user, accept, got)
			}
		}
	})
}
