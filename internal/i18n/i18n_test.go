package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// ssoSentence is the product's exact English SSO message.
const ssoSentence = "Your account uses Single Sign On (SSO). Password is managed by your organization."

// verbs returns the sequence of formatting verbs in s (flags, argument index,
// width and precision included, "%%" excluded), e.g. ["%d", "%s"].
func verbs(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0[]123456789.*", s[j]) >= 0 {
			j++
		}
		if j >= len(s) {
			out = append(out, s[i:]) // a dangling '%' is a verb too, so it cannot hide
			break
		}
		_, size := utf8.DecodeRuneInString(s[j:])
		if s[i:j+size] != "%%" {
			out = append(out, s[i:j+size])
		}
		i = j + size - 1
	}
	return out
}

// hasOneForm reports whether the CLDR cardinal rules of t put some integer
// in the "one" category (true for en, de, fr, es, it, pt; false for ja, zh).
func hasOneForm(t language.Tag) bool {
	for i := 0; i <= 1000; i++ {
		if plural.Cardinal.MatchPlural(t, i, 0, 0, 0, 0) == plural.One {
			return true
		}
	}
	return false
}

// tableProblems lists every way tb, the table of language t, breaks the
// contract with the reference table ref: a missing or extra key, an empty
// Other, placeholders that differ from ref's, or plural forms that do not fit
// t's CLDR rules. It returns nil for a complete, consistent table.
func tableProblems(ref Table, t language.Tag, tb Table) []string {
	var out []string
	one := hasOneForm(t)
	for key, want := range ref {
		got, ok := tb[key]
		if !ok {
			out = append(out, fmt.Sprintf("%s %s: missing", t, key))
			continue
		}
		if strings.TrimSpace(got.Other) == "" {
			out = append(out, fmt.Sprintf("%s %s: empty Other", t, key))
		}
		if g, w := verbs(got.Other), verbs(want.Other); !equal(g, w) {
			out = append(out, fmt.Sprintf("%s %s: Other placeholders %q, English has %q", t, key, g, w))
		}
		switch {
		case want.One == "" && got.One != "":
			out = append(out, fmt.Sprintf("%s %s: One set on a message that has no plural forms", t, key))
		case want.One != "" && one && got.One == "":
			out = append(out, fmt.Sprintf("%s %s: One missing, the language has a \"one\" plural form", t, key))
		case want.One != "" && !one && got.One != "":
			out = append(out, fmt.Sprintf("%s %s: One set, the language has no \"one\" plural form", t, key))
		}
		if got.One != "" && want.One != "" {
			if g, w := verbs(got.One), verbs(want.One); !equal(g, w) {
				out = append(out, fmt.Sprintf("%s %s: One placeholders %q, English has %q", t, key, g, w))
			}
		}
	}
	for key := range tb {
		if _, ok := ref[key]; !ok {
			out = append(out, fmt.Sprintf("%s %s: not an English key", t, key))
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// form returns the text of key in table tb that the printer must use for n.
func form(t language.Tag, txt Text, n int) string {
	if txt.One != "" && plural.Cardinal.MatchPlural(t, n, 0, 0, 0, 0) == plural.One {
		return txt.One
	}
	return txt.Other
}

func TestVerbs_ListsFormattingVerbsInOrder(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"no verbs", nil},
		{"Use at least %d characters.", []string{"%d"}},
		{"%s then %d", []string{"%s", "%d"}},
		{"100%% sure, %5.2f and %[1]d", []string{"%5.2f", "%[1]d"}},
		{"dangling %", []string{"%"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, verbs(tt.in), tt.in)
	}
}

func TestHasOneForm_FollowsCLDR(t *testing.T) {
	for _, tag := range []language.Tag{language.English, language.German, language.French, language.Spanish, language.Italian, language.BrazilianPortuguese} {
		assert.True(t, hasOneForm(tag), tag.String())
	}
	for _, tag := range []language.Tag{language.Japanese, language.SimplifiedChinese} {
		assert.False(t, hasOneForm(tag), tag.String())
	}
}

// TestTableProblems_DetectsEveryKindOfDefect proves the completeness check can
// fail: each broken table is reported, the sound one is not.
func TestTableProblems_DetectsEveryKindOfDefect(t *testing.T) {
	ref := Table{
		"plain":  {Other: "Hello."},
		"count":  {One: "%d item", Other: "%d items"},
		"string": {Other: "Bad: %s"},
	}
	soundDE := Table{
		"plain":  {Other: "Hallo."},
		"count":  {One: "%d Element", Other: "%d Elemente"},
		"string": {Other: "Ungültig: %s"},
	}
	soundJA := Table{
		"plain":  {Other: "こんにちは。"},
		"count":  {Other: "%d個"},
		"string": {Other: "無効：%s"},
	}
	require.Empty(t, tableProblems(ref, language.German, soundDE))
	require.Empty(t, tableProblems(ref, language.Japanese, soundJA))

	with := func(base Table, key string, txt *Text) Table {
		out := Table{}
		for k, v := range base {
			out[k] = v
		}
		if txt == nil {
			delete(out, key)
		} else {
			out[key] = *txt
		}
		return out
	}
	tests := []struct {
		name string
		tag  language.Tag
		tb   Table
		want string
	}{
		{"missing key", language.German, with(soundDE, "plain", nil), "plain: missing"},
		{"extra key", language.German, with(soundDE, "extra", &Text{Other: "x"}), "extra: not an English key"},
		{"empty Other", language.German, with(soundDE, "plain", &Text{Other: " "}), "plain: empty Other"},
		{"placeholder dropped", language.German, with(soundDE, "string", &Text{Other: "Ungültig"}), "string: Other placeholders"},
		{"placeholder type changed", language.German, with(soundDE, "count", &Text{One: "%d Element", Other: "%s Elemente"}), "count: Other placeholders"},
		{"placeholder added", language.German, with(soundDE, "plain", &Text{Other: "Hallo %s."}), "plain: Other placeholders"},
		{"One placeholder dropped", language.German, with(soundDE, "count", &Text{One: "ein Element", Other: "%d Elemente"}), "count: One placeholders"},
		{"One missing where CLDR has one", language.German, with(soundDE, "count", &Text{Other: "%d Elemente"}), "count: One missing"},
		{"One set where CLDR has none", language.Japanese, with(soundJA, "count", &Text{One: "%d個", Other: "%d個"}), "count: One set, the language has no"},
		{"One set on a non-plural key", language.German, with(soundDE, "plain", &Text{One: "Hallo.", Other: "Hallo."}), "plain: One set on a message that has no plural forms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := tableProblems(ref, tt.tag, tt.tb)
			require.NotEmpty(t, problems)
			assert.Contains(t, strings.Join(problems, "\n"), tt.want)
		})
	}
}

func TestCatalogs_EveryShippedLanguageIsComplete(t *testing.T) {
	ref := Messages(language.English)
	require.NotEmpty(t, ref)
	for key, txt := range ref {
		assert.NotEmpty(t, strings.TrimSpace(txt.Other), key)
		if txt.One != "" {
			assert.Equal(t, verbs(txt.Other), verbs(txt.One), "English %s: One and Other placeholders differ", key)
			assert.NotEmpty(t, verbs(txt.One), "English %s: a plural message needs its count", key)
		}
	}
	for _, tag := range Shipped()[1:] {
		t.Run(tag.String(), func(t *testing.T) {
			tb := Messages(tag)
			require.NotNil(t, tb)
			assert.Empty(t, tableProblems(ref, tag, tb))
		})
	}
}

func TestShipped_ListsTheEightLanguagesEnglishFirst(t *testing.T) {
	want := []language.Tag{
		language.English,
		language.German,
		language.Spanish,
		language.French,
		language.Italian,
		language.Japanese,
		language.BrazilianPortuguese,
		language.Make("zh-Hans"),
	}
	assert.Equal(t, want, Shipped())
	for _, tag := range want {
		assert.NotEmpty(t, Messages(tag), tag.String())
	}
	assert.Nil(t, Messages(language.Dutch))
}

func TestBundle_RendersPasswordTooShortInEveryLanguage(t *testing.T) {
	b := Default()
	const key = "password.too_short"
	for _, tag := range Shipped() {
		t.Run(tag.String(), func(t *testing.T) {
			for _, n := range []int{1, 8} {
				got := b.Sprintf(tag, key, n)
				assert.Equal(t, fmt.Sprintf(form(tag, Messages(tag)[key], n), n), got)
				assert.Contains(t, got, strconv.Itoa(n))
				if tag != language.English {
					assert.NotEqual(t, b.Sprintf(language.English, key, n), got)
				}
			}
		})
	}
	// The plural form really is chosen per count and per language.
	assert.Equal(t, "Use at least 1 character.", b.Sprintf(language.English, key, 1))
	assert.Equal(t, "Use at least 8 characters.", b.Sprintf(language.English, key, 8))
	assert.Equal(t, "Use at least 0 characters.", b.Sprintf(language.English, key, 0))
	assert.Equal(t, "Utilisez au moins 0 caractère.", b.Sprintf(language.French, key, 0), "French 'one' covers 0")
	assert.Equal(t, "Utilisez au moins 2 caractères.", b.Sprintf(language.French, key, 2))
}

// TestBundle_RendersEveryMessageFromItsOwnTable catches a message the
// catalog builder rejected or mixed up: each one must print from its own
// language's table, with its arguments, for singular and plural counts.
func TestBundle_RendersEveryMessageFromItsOwnTable(t *testing.T) {
	b := Default()
	for _, tag := range Shipped() {
		tb := Messages(tag)
		for key, txt := range tb {
			for _, n := range []int{1, 3} {
				var args []any
				for _, v := range verbs(txt.Other) {
					if strings.HasSuffix(v, "d") {
						args = append(args, n)
					} else {
						args = append(args, "<>")
					}
				}
				want := fmt.Sprintf(form(tag, txt, n), args...)
				assert.Equal(t, want, b.Sprintf(tag, key, args...), "%s %s n=%d", tag, key, n)
			}
		}
	}
}

func TestBundle_SSOSentenceIsExactInEnglish(t *testing.T) {
	assert.Equal(t, ssoSentence, Messages(language.English)["error.sso_managed"].Other)
	assert.Equal(t, ssoSentence, Default().Sprintf(language.English, "error.sso_managed"))
	assert.Equal(t, ssoSentence, Default().Sprintf(language.Make("en-GB"), "error.sso_managed"))
	for _, tag := range Shipped()[1:] {
		got := Default().Sprintf(tag, "error.sso_managed")
		assert.NotEqual(t, ssoSentence, got, tag.String())
		assert.Contains(t, got, "SSO", tag.String())
	}
}

func TestBundle_ClosestFollowsTheMatcherElseEnglish(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"de", "de"},
		{"de-CH", "de"},
		{"gsw", "de"}, // Swiss German reads German
		{"fr-CA", "fr"},
		{"es-419", "es"},
		{"pt", "pt-BR"},
		{"pt-PT", "pt-BR"},
		{"zh-CN", "zh-Hans"},
		{"zh", "zh-Hans"},
		{"zh-TW", "zh-Hans"}, // a low-confidence match still counts
		{"ja-JP", "ja"},
		{"en-GB", "en"},
		{"nl", "en"}, // no match: English
		{"da", "en"},
		{"und", "en"},
	}
	b := Default()
	for _, tt := range tests {
		assert.Equal(t, language.Make(tt.want), b.Closest(language.Make(tt.in)), tt.in)
	}
}

func TestBundle_UnshippedLanguageGetsEnglish(t *testing.T) {
	b := Default()
	assert.Equal(t, "Use at least 8 characters.", b.Sprintf(language.Dutch, "password.too_short", 8))
	assert.Equal(t, ssoSentence, b.Sprintf(language.Und, "error.sso_managed"))
}

func TestBundle_UnknownKeyIsReturnedAsIs(t *testing.T) {
	assert.Equal(t, "no.such.key", Default().Sprintf(language.German, "no.such.key"))
}

// TestCatalogs_TypographyFitsEachLanguage checks the conventions the review
// settled on, so a later edit cannot quietly break them.
func TestCatalogs_TypographyFitsEachLanguage(t *testing.T) {
	ref := Messages(language.English)
	for _, tag := range Shipped() {
		cjk := tag == language.Japanese || tag == language.SimplifiedChinese
		for key, txt := range Messages(tag) {
			for _, s := range []string{txt.One, txt.Other} {
				if s == "" {
					continue
				}
				where := tag.String() + " " + key + ": " + s
				assert.Equal(t, strings.TrimSpace(s), s, where)
				assert.NotContains(t, s, "  ", where)
				assert.NotContains(t, s, "\n", where)
				// Trailing punctuation matches English: a sentence ends with a
				// full stop, a lead-in with a colon, a label with neither.
				end, wantEnd := lastRune(s), lastRune(ref[key].Other)
				if cjk {
					wantEnd = map[rune]rune{'.': '。', ':': '：'}[wantEnd]
				}
				switch wantEnd {
				case '.', '。', ':', '：':
					assert.Equal(t, string(wantEnd), string(end), where)
				default:
					assert.NotContains(t, ".。:：", string(end), where)
				}
				switch {
				case cjk:
					for _, r := range ",:;()" {
						assert.NotContains(t, s, string(r), "%s: use full-width punctuation", where)
					}
				case tag == language.French:
					assert.NotContains(t, s, "'", "%s: use ’", where)
					frenchSpacing(t, where, s)
				case tag == language.Italian:
					assert.NotContains(t, s, "'", "%s: use ’", where)
				}
				if tag == language.Japanese {
					assert.NotContains(t, s, " ", where)
				}
			}
		}
	}
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// frenchSpacing asserts a no-break space (U+00A0 or U+202F) before each
// colon, semicolon, question mark and exclamation mark, except the literal
// "!" offered as an example symbol ("! ou #").
func frenchSpacing(t *testing.T, where, s string) {
	t.Helper()
	for i, r := range s {
		if !strings.ContainsRune(":;?!", r) || strings.HasPrefix(s[i:], "! ou #") {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		assert.Contains(t, []rune{'\u00a0', '\u202f'}, before, "%s: no-break space before %q", where, r)
	}
}

// TestCatalogFiles_KeepEnglishKeyOrder keeps every messages_xx.go in the
// same key order as messages_en.go, so a reviewer can read them side by side.
func TestCatalogFiles_KeepEnglishKeyOrder(t *testing.T) {
	files, err := filepath.Glob("messages_*.go")
	require.NoError(t, err)
	require.Len(t, files, len(Shipped()))
	keysOf := func(file string) []string {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		require.NoError(t, err)
		var keys []string
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					k, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					keys = append(keys, k)
				}
			}
			return true
		})
		return keys
	}
	want := keysOf("messages_en.go")
	require.Len(t, want, len(Messages(language.English)))
	for _, file := range files {
		assert.Equal(t, want, keysOf(file), file)
	}
}
