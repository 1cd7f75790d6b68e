package profile_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/internal/i18n"
	"github.com/profilekit/profile/store/memory"
)

// eightLanguages is the set the library ships catalogs for, configured
// explicitly so that these tests do not depend on which catalogs exist.
var eightLanguages = []string{"en", "de", "fr", "es", "it", "ja", "zh-Hans", "pt-BR"}

// prefsFixture is a Service on a memory store with one user, alice, and a
// record of every event.
type prefsFixture struct {
	svc   *profile.Service
	store *memory.Store
	mu    sync.Mutex
	evs   []profile.Event
}

func (f *prefsFixture) events() []profile.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]profile.Event(nil), f.evs...)
}

func (f *prefsFixture) record(t *testing.T) profile.Record {
	t.Helper()
	rec, err := f.store.Get(context.Background(), "alice")
	require.NoError(t, err)
	return rec
}

func newPrefsFixture(t testing.TB, langs []string, pol *profile.Policy) *prefsFixture {
	t.Helper()
	f := &prefsFixture{store: memory.New()}
	svc, err := profile.New(profile.Config{
		Store:     f.store,
		Policy:    pol,
		Languages: langs,
		Hashing:   profile.HashingConfig{Memory: 64, Time: 1, Threads: 1},
		Events: func(_ context.Context, e profile.Event) {
			f.mu.Lock()
			f.evs = append(f.evs, e)
			f.mu.Unlock()
		},
	})
	require.NoError(t, err)
	f.svc = svc
	require.NoError(t, svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com"}))
	f.evs = nil
	return f
}

func TestNew_LanguagesDefaultToShippedCatalogsEnglishFirst(t *testing.T) {
	f := newPrefsFixture(t, nil, nil)
	var want []string
	for _, tag := range i18n.Shipped() {
		want = append(want, tag.String())
	}
	require.Equal(t, "en", want[0])

	opts, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	var got []string
	for _, o := range opts {
		got = append(got, o.Tag)
	}
	assert.ElementsMatch(t, want, got)
	assert.Equal(t, "en", f.svc.ResolveLanguage(context.Background(), "", ""), "English is the default")
}

func TestNew_FirstConfiguredLanguageIsTheDefault(t *testing.T) {
	f := newPrefsFixture(t, []string{"de", "en"}, nil)
	assert.Equal(t, "de", f.svc.ResolveLanguage(context.Background(), "alice", ""))
	page, err := f.svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "de", page.Language)
}

func TestNew_LanguagesAreValidated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		langs []string
		want  string // part of the error message
	}{
		{"malformed", []string{"en", "de-"}, "[1]"},
		{"unknown subtag", []string{"en", "de", "xx"}, "[2]"},
		{"empty", []string{""}, "[0]"},
		{"undetermined", []string{"en", "und"}, "[1]"},
		{"script only", []string{"en", "und-Latn"}, "[1]"},
		{"duplicate", []string{"en", "de", "DE"}, "[2]"},
		{"duplicate after canonicalisation", []string{"en", "pt-br", "pt-BR"}, "[2]"},
		{"too long", []string{"en", "de-" + strings.Repeat("a", 70)}, "[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := profile.New(profile.Config{Store: memory.New(), Languages: tc.langs})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Config.Languages")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNew_LanguagesAcceptsAnyWellFormedTag(t *testing.T) {
	_, err := profile.New(profile.Config{Store: memory.New(), Languages: []string{"en", "nl", "pt-PT", "zh-Hant", "sr-Latn"}})
	assert.NoError(t, err)
}

// dropdown flattens options to "tag|name|self|selected" for comparison.
func dropdown(opts []profile.LanguageOption) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		sel := ""
		if o.Selected {
			sel = "*"
		}
		out[i] = o.Tag + "|" + o.Name + "|" + o.SelfName + sel
	}
	return out
}

func TestLanguages_DropdownForEnglishUser(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	opts, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	// No preference yet: the default (English) is selected; names in
	// English, sorted alphabetically.
	assert.Equal(t, []string{
		"pt-BR|Brazilian Portuguese|português (Brasil)",
		"en|English|English*",
		"fr|French|français",
		"de|German|Deutsch",
		"it|Italian|italiano",
		"ja|Japanese|日本語",
		"zh-Hans|Simplified Chinese|简体中文",
		"es|Spanish|español",
	}, dropdown(opts))
}

func TestLanguages_DropdownForGermanUser(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	_, err := f.svc.SetLanguage(context.Background(), "alice", "de")
	require.NoError(t, err)
	opts, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"pt-BR|Brasilianisches Portugiesisch|português (Brasil)",
		"zh-Hans|Chinesisch (vereinfacht)|简体中文",
		"de|Deutsch|Deutsch*",
		"en|Englisch|English",
		"fr|Französisch|français",
		"it|Italienisch|italiano",
		"ja|Japanisch|日本語",
		"es|Spanisch|español",
	}, dropdown(opts))
}

func TestLanguages_DropdownForJapaneseUser(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	_, err := f.svc.SetLanguage(context.Background(), "alice", "ja")
	require.NoError(t, err)
	opts, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	// Japanese collation: kana in gojūon order (i, su, do, fu, po), then
	// kanji by reading (ei, kan, nichi).
	assert.Equal(t, []string{
		"it|イタリア語|italiano",
		"es|スペイン語|español",
		"de|ドイツ語|Deutsch",
		"fr|フランス語|français",
		"pt-BR|ポルトガル語 (ブラジル)|português (Brasil)",
		"en|英語|English",
		"zh-Hans|簡体中国語|简体中文",
		"ja|日本語|日本語*",
	}, dropdown(opts))
}

func TestLanguages_ResultIsTheCallers(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	opts, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	want := dropdown(opts)
	for i := range opts {
		opts[i] = profile.LanguageOption{Tag: "xx", Selected: true}
	}
	again, err := f.svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, want, dropdown(again))
}

func TestLanguages_ErrorsForDisabledFeatureUnknownAndInvalidUser(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Features.Preferences = false
	off := newPrefsFixture(t, nil, &pol)
	_, err := off.svc.Languages(context.Background(), "alice")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)

	on := newPrefsFixture(t, nil, nil)
	_, err = on.svc.Languages(context.Background(), "nobody")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	_, err = on.svc.Languages(context.Background(), "bad\x00id")
	assert.ErrorIs(t, err, profile.ErrInvalidUserID)
}

func TestLanguages_SafeForConcurrentUse(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, tag := range eightLanguages {
		id := "user" + tag
		require.NoError(t, f.svc.CreateUser(ctx, id, profile.Profile{FirstName: "U", Email: "u@example.com"}))
		_, err := f.svc.SetLanguage(ctx, id, tag)
		require.NoError(t, err)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				opts, err := f.svc.Languages(ctx, id)
				if assert.NoError(t, err) && assert.Len(t, opts, len(eightLanguages)) {
					n := 0
					for _, o := range opts {
						if o.Selected {
							n++
							assert.Equal(t, eightLanguages[i], o.Tag)
						}
					}
					assert.Equal(t, 1, n)
				}
			}()
		}
	}
	wg.Wait()
}

func TestSetLanguage_MatchesAgainstSupportedLanguages(t *testing.T) {
	for _, tc := range []struct {
		name      string
		supported []string
		input     string
		want      string // stored tag; "" means refused
		suggest   []string
	}{
		{"exact", eightLanguages, "de", "de", nil},
		{"case-insensitive", eightLanguages, "DE", "de", nil},
		{"canonical script tag", eightLanguages, "zh-Hans", "zh-Hans", nil},
		{"canonical region tag", eightLanguages, "pt-BR", "pt-BR", nil},
		{"lowercase region", eightLanguages, "pt-br", "pt-BR", nil},
		{"underscore", eightLanguages, "ja_JP", "ja", nil},
		{"region of the same language", eightLanguages, "de-DE", "de", nil},
		{"regional variant", eightLanguages, "de-CH", "de", nil},
		{"extension dropped", eightLanguages, "de-u-co-phonebk", "de", nil},
		{"private use dropped", eightLanguages, "en-x-foo", "en", nil},
		{"regional English, only en supported", []string{"en"}, "en-GB", "en", nil},
		{"Australian English, only en supported", []string{"en", "de"}, "en-AU", "en", nil},
		{"supported tag stored, not the matcher's nl-u-rg-bezzzz", []string{"en", "nl"}, "nl-BE", "nl", nil},
		{"pt means Brazilian Portuguese", eightLanguages, "pt", "pt-BR", nil},
		{"pt with only pt-BR", []string{"en", "pt-BR"}, "pt", "pt-BR", nil},
		{"pt with pt-BR and pt-PT", []string{"en", "pt-BR", "pt-PT"}, "pt", "pt-BR", nil},
		{"pt-PT with pt-BR and pt-PT", []string{"en", "pt-BR", "pt-PT"}, "pt-PT", "pt-PT", nil},
		{"pt-AO goes European", []string{"en", "pt-BR", "pt-PT"}, "pt-AO", "pt-PT", nil},
		{"pt-BR with only pt", []string{"en", "pt"}, "pt-BR", "pt", nil},
		{"zh means Simplified", eightLanguages, "zh", "zh-Hans", nil},
		{"zh-CN is Simplified", eightLanguages, "zh-CN", "zh-Hans", nil},
		{"zh-TW with zh-Hant", []string{"en", "zh-Hant"}, "zh-TW", "zh-Hant", nil},

		{"zh-TW is Traditional: refused", eightLanguages, "zh-TW", "", []string{"zh-Hans"}},
		{"zh-Hant refused", eightLanguages, "zh-Hant", "", []string{"zh-Hans"}},
		{"zh-HK refused", eightLanguages, "zh-HK", "", []string{"zh-Hans"}},
		{"zh-Hans with only zh-Hant", []string{"en", "zh-Hant"}, "zh-Hans", "", []string{"zh-Hant"}},
		{"unsupported language", []string{"en"}, "de", "", []string{"en"}},
		{"unsupported language, several regions", []string{"de", "pt-BR", "pt-PT"}, "nl", "", []string{"de"}},
		{"undetermined", eightLanguages, "und", "", []string{"en"}},
		{"wildcard", eightLanguages, "*", "", []string{"en"}},
		{"private use only", eightLanguages, "x-klingon", "", []string{"en"}},
		{"unknown subtag", eightLanguages, "xx", "", []string{"en"}},
		{"malformed: the part that parsed suggests", eightLanguages, "de-", "", []string{"de"}},
		{"undetermined with a script", eightLanguages, "und-Latn", "", []string{"en"}},
		{"garbage", eightLanguages, "!!??", "", []string{"en"}},
		{"control characters", eightLanguages, "de\x00\n", "", []string{"en"}},
		{"invalid UTF-8", eightLanguages, "de\xff", "", []string{"en"}},
		{"empty", eightLanguages, "", "", []string{"en"}},
		{"65 bytes", eightLanguages, "de-" + strings.Repeat("a", 62), "", []string{"en"}},
		{"a megabyte", eightLanguages, strings.Repeat("de-", 1<<18), "", []string{"en"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newPrefsFixture(t, tc.supported, nil)
			before := f.record(t)
			prefs, err := f.svc.SetLanguage(context.Background(), "alice", tc.input)
			if tc.want != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, prefs.Language)
				assert.Equal(t, tc.want, f.record(t).Preferences.Language)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, profile.ErrUnsupportedLanguage)
			var le *profile.LanguageError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tc.suggest, le.Suggestions)
			assert.Equal(t, profile.Preferences{}, prefs)
			assert.Equal(t, before, f.record(t), "nothing changed")
			assert.Empty(t, f.events())
		})
	}
}

func TestSetLanguage_RefusedTagIsSanitisedInTheError(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	for _, input := range []string{"de\x00\x1b[31m", "\xff\xfe", strings.Repeat("é", 100), "ab\u202ecd"} {
		_, err := f.svc.SetLanguage(context.Background(), "alice", input)
		var le *profile.LanguageError
		require.ErrorAs(t, err, &le)
		assert.LessOrEqual(t, len(le.Requested), profile.MaxLanguageTagLen)
		assert.True(t, utf8.ValidString(le.Requested))
		assert.False(t, strings.ContainsFunc(le.Requested, func(r rune) bool { return !unicode.IsPrint(r) }), "%q", le.Requested)
		assert.True(t, utf8.ValidString(err.Error()))
		assert.NotContains(t, err.Error(), "\x00")
		assert.NotContains(t, err.Error(), "\x1b")
	}
}

func TestSetLanguage_ErrorMessageForTheUser(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	_, err := f.svc.SetLanguage(context.Background(), "alice", "zh-TW")
	require.Error(t, err)
	assert.Equal(t, i18n.Messages(language.English)["error.unsupported_language"].Other, f.svc.Message("en", err))
	assert.Contains(t, err.Error(), `"zh-TW"`)
	assert.Contains(t, err.Error(), "zh-Hans")
}

func TestSetLanguage_EmitsLanguageChangedWithTheNewTag(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	before := f.record(t)
	prefs, err := f.svc.SetLanguage(context.Background(), "alice", "fr-CA")
	require.NoError(t, err)
	assert.Equal(t, "fr", prefs.Language)
	evs := f.events()
	require.Len(t, evs, 1)
	assert.Equal(t, profile.EventLanguageChanged, evs[0].Kind)
	assert.Equal(t, "alice", evs[0].UserID)
	assert.Equal(t, []string{"fr"}, evs[0].Fields)
	after := f.record(t)
	assert.Equal(t, before.Revision+1, after.Revision)
	assert.Equal(t, before.ProfileVersion, after.ProfileVersion, "a language change does not invalidate an open profile form")
}

func TestSetLanguage_SameLanguageAgainWritesAndEmitsNothing(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	_, err := f.svc.SetLanguage(context.Background(), "alice", "de")
	require.NoError(t, err)
	before := f.record(t)
	for _, input := range []string{"de", "de-DE", "DE"} {
		prefs, err := f.svc.SetLanguage(context.Background(), "alice", input)
		require.NoError(t, err)
		assert.Equal(t, "de", prefs.Language)
	}
	assert.Equal(t, before, f.record(t))
	assert.Len(t, f.events(), 1, "only the first change emitted")
}

func TestSetLanguage_FeatureDisabledChangesNothing(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Features.Preferences = false
	f := newPrefsFixture(t, eightLanguages, &pol)
	before := f.record(t)
	_, err := f.svc.SetLanguage(context.Background(), "alice", "de")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)
	_, err = f.svc.SetLanguage(context.Background(), "alice", "zh-TW")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled, "the feature is checked before the input")
	assert.Equal(t, before, f.record(t))
	assert.Empty(t, f.events())
}

func TestSetLanguage_FeatureDisabledPerUser(t *testing.T) {
	f := &prefsFixture{store: memory.New()}
	svc, err := profile.New(profile.Config{
		Store: f.store,
		PolicyFor: func(_ context.Context, userID string) (profile.Policy, error) {
			p := profile.DefaultPolicy()
			p.Features.Preferences = userID != "bob"
			return p, nil
		},
	})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "A", Email: "a@example.com"}))
	require.NoError(t, svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "B", Email: "b@example.com"}))
	_, err = svc.SetLanguage(ctx, "alice", "en")
	assert.NoError(t, err)
	_, err = svc.SetLanguage(ctx, "bob", "en")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)
}

func TestSetLanguage_UnknownAndInvalidUser(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	_, err := f.svc.SetLanguage(context.Background(), "nobody", "de")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	_, err = f.svc.SetLanguage(context.Background(), "", "de")
	assert.ErrorIs(t, err, profile.ErrInvalidUserID)
	_, err = f.svc.SetLanguage(context.Background(), strings.Repeat("u", 300), "de")
	assert.ErrorIs(t, err, profile.ErrInvalidUserID)
	assert.Empty(t, f.events())
}

func TestSetLanguage_CancelledContextChangesNothing(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	before := f.record(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.svc.SetLanguage(ctx, "alice", "de")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, before, f.record(t))
	assert.Empty(t, f.events())
}

func TestSetLanguage_ConcurrentChangesAllLand(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, tag := range eightLanguages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.SetLanguage(ctx, "alice", tag)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	// Each change is one write from a different previous value, except a
	// writer that found its own tag already stored: at most one event per
	// tag, and the stored value is the last event's.
	evs := f.events()
	assert.NotEmpty(t, evs)
	assert.LessOrEqual(t, len(evs), len(eightLanguages))
	rec := f.record(t)
	assert.Contains(t, eightLanguages, rec.Preferences.Language)
	assert.Equal(t, int64(1+len(evs)), rec.Revision, "one write per event")
}

func TestResolveLanguage_Order(t *testing.T) {
	f := newPrefsFixture(t, eightLanguages, nil)
	ctx := context.Background()
	require.NoError(t, f.svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob", Email: "bob@example.com"}))
	_, err := f.svc.SetLanguage(ctx, "bob", "ja")
	require.NoError(t, err)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	for _, tc := range []struct {
		name   string
		ctx    context.Context
		user   string
		accept string
		want   string
	}{
		{"stored preference beats the header", ctx, "bob", "de, fr;q=0.5", "ja"},
		{"no preference: the header", ctx, "alice", "de, fr;q=0.5", "de"},
		{"anonymous: the header", ctx, "", "fr-CA", "fr"},
		{"unknown user falls through", ctx, "nobody", "es-MX", "es"},
		{"invalid user ID falls through", ctx, "bad\x00id", "it", "it"},
		{"store error falls through", cancelled, "bob", "de", "de"},
		{"q-values, not order", ctx, "", "de;q=0.5, fr;q=0.9", "fr"},
		{"q-values with a region", ctx, "", "da, en-GB;q=0.8, en;q=0.7", "en"},
		{"unsupported first, supported second", ctx, "", "nl, de;q=0.5", "de"},
		{"Traditional Chinese is skipped for a real match", ctx, "", "zh-TW, de;q=0.5", "de"},
		{"Traditional Chinese alone: the default", ctx, "", "zh-TW", "en"},
		{"pt means pt-BR", ctx, "", "pt", "pt-BR"},
		{"q=0 excludes", ctx, "", "de;q=0", "en"},
		{"wildcard: the default", ctx, "", "*", "en"},
		{"malformed weight ignored", ctx, "", "de;q=abc", "en"},
		{"malformed tag ignored", ctx, "", "de-, fr", "en"},
		{"binary garbage ignored", ctx, "", "\x00\xff;;,,q=", "en"},
		{"empty: the default", ctx, "", "", "en"},
		{"overlong header keeps the entries that fit", ctx, "", "ja," + strings.Repeat("x-abcdefgh;q=0.1,", 200), "ja"},
		{"overlong single entry ignored", ctx, "", "de-" + strings.Repeat("a", 2000), "en"},
		{"too many subtags ignored", ctx, "", strings.Repeat("-", 5000), "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, f.svc.ResolveLanguage(tc.ctx, tc.user, tc.accept))
		})
	}
}

func TestResolveLanguage_StalePreferenceIsSkipped(t *testing.T) {
	// alice chose French; the host then stopped supporting it.
	old := newPrefsFixture(t, eightLanguages, nil)
	_, err := old.svc.SetLanguage(context.Background(), "alice", "fr")
	require.NoError(t, err)
	svc, err := profile.New(profile.Config{Store: old.store, Languages: []string{"en", "de"}})
	require.NoError(t, err)

	assert.Equal(t, "de", svc.ResolveLanguage(context.Background(), "alice", "de"))
	assert.Equal(t, "en", svc.ResolveLanguage(context.Background(), "alice", ""))
	opts, err := svc.Languages(context.Background(), "alice")
	require.NoError(t, err)
	require.Len(t, opts, 2)
	assert.Equal(t, "en", opts[0].Tag)
	assert.True(t, opts[0].Selected, "the default is selected")
	page, err := svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "en", page.Language)
}

func TestPage_PreferencesTabShowsCurrentLanguageAndDropdown(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Features = profile.Features{Preferences: true}
	f := newPrefsFixture(t, eightLanguages, &pol)
	ctx := context.Background()
	_, err := f.svc.SetLanguage(ctx, "alice", "de")
	require.NoError(t, err)
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "de", page.Language)
	require.NotNil(t, page.Preferences)
	assert.Equal(t, "de", page.Preferences.Language)
	opts, err := f.svc.Languages(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, opts, page.Preferences.Options)
}

func TestPage_NoPreferencesTabWhenDisabled(t *testing.T) {
	pol := profile.DefaultPolicy()
	pol.Features = profile.Features{PersonalInfo: true}
	f := newPrefsFixture(t, eightLanguages, &pol)
	page, err := f.svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Nil(t, page.Preferences)
	assert.NotContains(t, page.Tabs, profile.TabPreferences)
}

func TestMessages_ConfiguredLanguageWithoutCatalogFallsBackToEnglish(t *testing.T) {
	f := newPrefsFixture(t, []string{"en", "nl"}, nil)
	ctx := context.Background()
	prefs, err := f.svc.SetLanguage(ctx, "alice", "nl")
	require.NoError(t, err, "a language without a catalog is stored fine")
	assert.Equal(t, "nl", prefs.Language)
	assert.Equal(t, "nl", f.svc.ResolveLanguage(ctx, "alice", "en"))

	en := i18n.Messages(language.English)
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "nl", page.Language)
	assert.Equal(t, en["error.feature_disabled"].Other, f.svc.Message(page.Language, profile.ErrFeatureDisabled))
	assert.Equal(t, en["ui.tab.preferences"].Other, f.svc.Labels(page.Language)["ui.tab.preferences"])

	email := "not an email"
	_, err = f.svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Email: &email})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Violations, 1)
	assert.Equal(t, en["violation.invalid_email"].Other, ve.Violations[0].Message)

	// The dropdown still names the languages in Dutch (x/text has the names).
	opts, err := f.svc.Languages(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, []string{"en|Engels|English", "nl|Nederlands|Nederlands*"}, dropdown(opts))
}

func TestLanguageError_IsUnsupportedLanguageOnly(t *testing.T) {
	var err error = &profile.LanguageError{Requested: "xx", Suggestions: []string{"en"}}
	assert.ErrorIs(t, err, profile.ErrUnsupportedLanguage)
	assert.False(t, errors.Is(err, profile.ErrNotFound))
	assert.Equal(t, `profile: unsupported language "xx" (closest supported: en)`, err.Error())
}

func TestViolations_RenderedInEachShippedLanguage(t *testing.T) {
	f := newPrefsFixture(t, nil, nil)
	ctx := context.Background()
	en := i18n.Messages(language.English)["violation.too_long"]
	long := strings.Repeat("a", profile.MaxNameLen+1)
	for _, tag := range i18n.Shipped() {
		t.Run(tag.String(), func(t *testing.T) {
			prefs, err := f.svc.SetLanguage(ctx, "alice", tag.String())
			require.NoError(t, err)
			require.Equal(t, tag.String(), prefs.Language, "every shipped language is supported by default")

			_, err = f.svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: &long})
			var ve *profile.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Violations, 1)
			v := ve.Violations[0]
			assert.Equal(t, "too_long", v.Rule)
			assert.Equal(t, profile.MaxNameLen, v.Params["max"])
			want := i18n.Messages(tag)["violation.too_long"]
			require.NotEmpty(t, want.Other, "the catalog has the key")
			// MaxNameLen (100) takes the "other" plural form in every
			// shipped language.
			assert.Equal(t, strings.Replace(want.Other, "%d", "100", 1), v.Message)
			if tag != language.English {
				assert.NotEqual(t, strings.Replace(en.Other, "%d", "100", 1), v.Message, "not the English fallback")
			}
		})
	}
}
