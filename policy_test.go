package profile_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// rules returns the Rule keys of err's violations, in order.
func rules(t *testing.T, err error) []string {
	t.Helper()
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	out := make([]string, len(ve.Violations))
	for i, v := range ve.Violations {
		out[i] = v.Rule
	}
	return out
}

func violation(t *testing.T, err error, rule string) profile.Violation {
	t.Helper()
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, v := range ve.Violations {
		if v.Rule == rule {
			return v
		}
	}
	require.Failf(t, "violation missing", "no %q in %v", rule, err)
	return profile.Violation{}
}

var alice = profile.Profile{FirstName: "Alice", LastName: "Martin-Durand", Email: "a.wonder@example.com", Username: "alicem"}

func TestValidate_AcceptsAGoodPassword(t *testing.T) {
	p := profile.PasswordPolicy{MinUpper: 1, MinLower: 1, MinDigit: 1, MinSymbol: 1, MaxRepeat: 2}
	for _, pw := range []string{"Tr0ub4dor&3x", "Grüße, Kätzchen 42", "Ωmega-Blue-7-kettle", "パスワードはB2b!"} {
		assert.NoError(t, p.Validate(pw, alice), pw)
	}
}

func TestValidate_EachRule(t *testing.T) {
	tests := []struct {
		name   string
		policy profile.PasswordPolicy
		pw     string
		rule   string
		params map[string]any
	}{
		{"empty", profile.PasswordPolicy{}, "", "required", nil},
		{"too short", profile.PasswordPolicy{}, "Xk7#pq", "min_length", map[string]any{"min": 8}},
		{"too short counts runes not bytes", profile.PasswordPolicy{MinLength: 5}, "ééééé"[:8], "min_length", map[string]any{"min": 5}},
		{"too long", profile.PasswordPolicy{MaxLength: 10}, "Xk7#pq-Zr9!w", "max_length", map[string]any{"max": 10}},
		{"over the byte cap", profile.PasswordPolicy{}, strings.Repeat("x", profile.MaxPasswordBytes+1), "max_length", map[string]any{"max": 64}},
		{"upper", profile.PasswordPolicy{MinUpper: 2}, "xk7#pqzr9w", "min_upper", map[string]any{"min": 2}},
		{"lower", profile.PasswordPolicy{MinLower: 1}, "XK7#PQZR9W", "min_lower", map[string]any{"min": 1}},
		{"digit", profile.PasswordPolicy{MinDigit: 3}, "Xk7#pqzr9w", "min_digit", map[string]any{"min": 3}},
		{"symbol", profile.PasswordPolicy{MinSymbol: 1}, "Xk7Gpqzr9w", "min_symbol", map[string]any{"min": 1}},
		{"repeat", profile.PasswordPolicy{MaxRepeat: 2}, "Xk7#pqqqr9w", "max_repeat", map[string]any{"max": 2}},
		{"first name", profile.PasswordPolicy{}, "xxALICExx-93", "personal_info", nil},
		{"last name word", profile.PasswordPolicy{}, "my-durand-93!", "personal_info", nil},
		{"username", profile.PasswordPolicy{}, "qqAlicEMqq!", "personal_info", nil},
		{"email local part word", profile.PasswordPolicy{}, "zz-WONDER-zz", "personal_info", nil},
		{"blocklist", profile.PasswordPolicy{}, "baseball", "common", nil},
		{"blocklist any case", profile.PasswordPolicy{}, "BaseBall1", "common", nil},
		{"host word", profile.PasswordPolicy{Blocklist: []string{"Profilekit"}}, "my-PROFILEKIT-pass", "common", nil},
		{"invalid UTF-8", profile.PasswordPolicy{}, "abc\xffdefgh", "invalid_utf8", nil},
		{"control character", profile.PasswordPolicy{}, "abc\x07defgh", "disallowed_chars", map[string]any{"chars": "U+0007"}},
		{"emoji ZWJ sequence", profile.PasswordPolicy{}, "family👨\u200d👩\u200d👧-2024", "disallowed_chars", map[string]any{"chars": "U+200D"}},
		{"emoji variation selector", profile.PasswordPolicy{}, "i-love-\u2764\ufe0f-2024", "disallowed_chars", map[string]any{"chars": "U+FE0F"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate(tt.pw, alice)
			require.Error(t, err)
			v := violation(t, err, tt.rule)
			assert.Equal(t, profile.FieldNewPassword, v.Field)
			assert.Equal(t, tt.params, v.Params)
			assert.NotEmpty(t, v.Message)
			if tt.pw != "" {
				assert.NotContains(t, err.Error(), tt.pw, "the error must not quote the password")
			}
		})
	}
}

func TestValidate_ValidPasswordDoesNotAllocate(t *testing.T) {
	p := profile.PasswordPolicy{MaxLength: 300, MinUpper: 1, MinLower: 1, MinDigit: 1, MinSymbol: 1, MaxRepeat: 2, Blocklist: []string{"profilekit"}}
	for _, pw := range []string{"Tr0ub4dor&3x", "Grüße, Kätzchen 42", "パスワードは秘密-Ab1", strings.Repeat("correct Horse battery 7! ", 10)} {
		require.NoError(t, p.Validate(pw, alice))
		allocs := testing.AllocsPerRun(50, func() { _ = p.Validate(pw, alice) })
		assert.Zero(t, allocs, "%q", pw)
	}
}

func TestValidate_ReportsEveryBrokenRuleAtOnce(t *testing.T) {
	p := profile.PasswordPolicy{MinUpper: 1, MinDigit: 1, MinSymbol: 1, MaxRepeat: 2}
	err := p.Validate("aaalice", alice)
	assert.Equal(t, []string{"min_length", "min_upper", "min_digit", "min_symbol", "max_repeat", "personal_info"}, rules(t, err))
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Use at least 8 characters.", ve.Violations[0].Message)
	assert.Equal(t, "Include at least 1 uppercase letter.", ve.Violations[1].Message)
	assert.Equal(t, "Include at least 1 digit.", ve.Violations[2].Message)
	assert.Equal(t, "Include at least 1 symbol, such as ! or #.", ve.Violations[3].Message)
	assert.Equal(t, "Do not repeat the same character more than 2 times in a row.", ve.Violations[4].Message)
	assert.Equal(t, "Do not use your name, username or email address in your password.", ve.Violations[5].Message)
}

func TestValidate_CharacterClassesAcrossScripts(t *testing.T) {
	tests := []struct {
		pw     string
		policy profile.PasswordPolicy
	}{
		{"ÉCOLE-été-2024", profile.PasswordPolicy{MinUpper: 5, MinLower: 3, MinDigit: 4, MinSymbol: 2}},
		{"ΑΒΓδεζ١٢٣", profile.PasswordPolicy{MinUpper: 3, MinLower: 3, MinDigit: 3}},              // Greek letters, Arabic-Indic digits
		{"密码密码密码密码", profile.PasswordPolicy{MinSymbol: 8}},                                        // caseless letters count as symbols
		{"ЖЖЖжжж ٣", profile.PasswordPolicy{MinUpper: 3, MinLower: 3, MinSymbol: 1, MinDigit: 1}}, // the space is a symbol
	}
	for _, tt := range tests {
		assert.NoError(t, tt.policy.Validate(tt.pw, profile.Profile{}), tt.pw)
		tighter := tt.policy
		tighter.MinUpper, tighter.MinLower, tighter.MinDigit, tighter.MinSymbol = tt.policy.MinUpper+1, tt.policy.MinLower+1, tt.policy.MinDigit+1, tt.policy.MinSymbol+1
		assert.Equal(t, []string{"min_upper", "min_lower", "min_digit", "min_symbol"}, rules(t, tighter.Validate(tt.pw, profile.Profile{})), tt.pw)
	}
}

func TestValidate_PersonalInfoIgnoresShortParts(t *testing.T) {
	u := profile.Profile{FirstName: "Al", LastName: "Li", Email: "jo@example.com", Username: "al"}
	assert.NoError(t, profile.PasswordPolicy{}.Validate("Al-Li-jo-Zq94#x", u))
}

func TestValidate_PersonalInfoCanBeAllowed(t *testing.T) {
	assert.NoError(t, profile.PasswordPolicy{AllowPersonalInfo: true}.Validate("alice-Zq94#x", alice))
}

func TestValidate_PersonalInfoFoldsNonASCIICase(t *testing.T) {
	u := profile.Profile{LastName: "Ørsted"}
	assert.Equal(t, []string{"personal_info"}, rules(t, profile.PasswordPolicy{}.Validate("x-ØRSTED-42x", u)))
	u = profile.Profile{FirstName: "Σωκράτης"}
	assert.Equal(t, []string{"personal_info"}, rules(t, profile.PasswordPolicy{}.Validate("ΣΩΚΡΆΤΗΣ-42x", u)))
}

func TestValidate_BlocklistCanBeDisabled(t *testing.T) {
	assert.NoError(t, profile.PasswordPolicy{DisableBlocklist: true}.Validate("password", profile.Profile{}))
	err := profile.PasswordPolicy{DisableBlocklist: true, Blocklist: []string{"acme"}}.Validate("acmeacme", profile.Profile{})
	assert.Equal(t, []string{"common"}, rules(t, err), "host words apply even with the embedded list off")
}

func TestValidate_NormalisesWithPRECIS(t *testing.T) {
	// A no-break space becomes a space and NFD becomes NFC before counting:
	// "e" + U+0301 is one rune, so 7 runes are too short for MinLength 8.
	p := profile.PasswordPolicy{MinLength: 8}
	err := p.Validate("cafe\u0301-xy", profile.Profile{})
	assert.Equal(t, []string{"min_length"}, rules(t, err))
	assert.NoError(t, p.Validate("cafe\u0301-xyz", profile.Profile{}))
	assert.NoError(t, p.Validate("ab\u00a0cd\u00a0ef", profile.Profile{}))
}

func TestValidate_InvalidPolicyIsAConfigError(t *testing.T) {
	err := profile.PasswordPolicy{MinLength: 20, MaxLength: 10}.Validate("whatever-pass", profile.Profile{})
	require.Error(t, err)
	var ve *profile.ValidationError
	assert.False(t, errors.As(err, &ve))
}

func TestValidateLang_FallsBackToEnglish(t *testing.T) {
	err := profile.PasswordPolicy{}.ValidateLang("not a tag", "short", profile.Profile{})
	assert.Equal(t, "Use at least 8 characters.", violation(t, err, "min_length").Message)
}

func TestDescribe_Defaults(t *testing.T) {
	assert.Equal(t, []string{
		"At least 8 characters",
		"At most 64 characters",
		"Does not contain your name, username or email address",
		"Not a commonly used password",
	}, profile.PasswordPolicy{}.Describe("en"))
}

func TestDescribe_EveryRule(t *testing.T) {
	p := profile.PasswordPolicy{MinLength: 12, MaxLength: 128, MinUpper: 1, MinLower: 2, MinDigit: 1, MinSymbol: 3, MaxRepeat: 1, History: 5, AllowPersonalInfo: true, DisableBlocklist: true}
	assert.Equal(t, []string{
		"At least 12 characters",
		"At most 128 characters",
		"At least 1 uppercase letter",
		"At least 2 lowercase letters",
		"At least 1 digit",
		"At least 3 symbols, such as ! or #",
		"No character repeated more than 1 time in a row",
		"Different from your last 5 passwords",
	}, p.Describe(""))
}

func TestNew_RejectsImpossiblePasswordPolicies(t *testing.T) {
	tests := map[string]profile.PasswordPolicy{
		"min above max":          {MinLength: 30, MaxLength: 20},
		"classes above max":      {MaxLength: 10, MinUpper: 4, MinLower: 4, MinDigit: 4},
		"negative class":         {MinDigit: -1},
		"max above cap":          {MaxLength: profile.MaxPasswordBytes},
		"negative repeat":        {MaxRepeat: -1},
		"history above 24":       {History: 25},
		"negative attempts":      {MaxAttempts: -1},
		"short host word":        {Blocklist: []string{"ab"}},
		"host word invalid UTF8": {Blocklist: []string{"ab\xff"}},
	}
	for name, pp := range tests {
		pol := profile.DefaultPolicy()
		pol.Password = pp
		_, err := profile.New(profile.Config{Store: memory.New(), Policy: &pol})
		assert.ErrorContains(t, err, "Config.Policy", name)
	}
}

// ruleKeys joins the Rule keys of err's violations, "" for nil.
func ruleKeys(err error) string {
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Sprint(err)
	}
	keys := make([]string, len(ve.Violations))
	for i, v := range ve.Violations {
		keys[i] = v.Rule
	}
	return strings.Join(keys, ",")
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"", "password", "Tr0ub4dor&3", "aaaaaaaa", "alice-1234", "abc\xffdef", "a\x00b", "👨\u200d👩\u200d👧", "cafe\u0301", "\u00a0\u3000", "ΣΩΚΡΆΤΗΣ", strings.Repeat("é", 70)} {
		f.Add(s, "Alice", "alice@example.com")
	}
	p := profile.PasswordPolicy{MinUpper: 1, MinLower: 1, MinDigit: 1, MinSymbol: 1, MaxRepeat: 3, Blocklist: []string{"acme"}}
	f.Fuzz(func(t *testing.T, pw, name, email string) {
		u := profile.Profile{FirstName: name, Email: email}
		err := p.Validate(pw, u)
		if norm, perr := precis.OpaqueString.String(pw); perr == nil && utf8.ValidString(pw) && len(pw) <= profile.MaxPasswordBytes {
			// Normalisation is idempotent: the normalised form breaks
			// exactly the same rules.
			if a, b := ruleKeys(err), ruleKeys(p.Validate(norm, u)); a != b {
				t.Fatalf("Validate(pw) broke %q but Validate(PRECIS(pw)) broke %q", a, b)
			}
		}
		if err == nil {
			return
		}
		var ve *profile.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) == 0 {
			t.Fatalf("Validate returned %v, want a *ValidationError", err)
		}
		for _, v := range ve.Violations {
			if v.Rule == "" || v.Message == "" || v.Field != profile.FieldNewPassword {
				t.Fatalf("incomplete violation %+v", v)
			}
		}
	})
}

// BenchmarkValidate checks typical passwords against a policy with every
// rule on (classes, repeats, personal information, the blocklist and a
// host word). Goals: at most 250 ns and 0 allocations for 12 ASCII
// characters, at most 2.5 µs for 256 runes. Each case also reports its
// ratio to a bare PRECIS OpaqueString normalisation of the same input,
// measured in the same run (the least any conforming check must do).
func BenchmarkValidate(b *testing.B) {
	p := profile.PasswordPolicy{MaxLength: 300, MinUpper: 1, MinLower: 1, MinDigit: 1, MinSymbol: 1, MaxRepeat: 3, Blocklist: []string{"profilekit"}}
	u := profile.Profile{FirstName: "Alice", LastName: "Martin-Durand", Email: "alice.martin@example.com", Username: "amartin"}
	latin := strings.Repeat("Grüße, Kätzchen! 42 ", 13)[:0]
	for len([]rune(latin)) < 256 {
		latin += "Grüße, Kätzchen! 42 "
	}
	latin = string([]rune(latin)[:256])
	cjk := string([]rune(strings.Repeat("パスワードは秘密-Ab1 ", 20))[:256])
	cases := []struct{ name, pw string }{
		{"ascii-12", "Tr0ub4dor&3x"},
		{"ascii-256", string([]rune(strings.Repeat("correct Horse battery staple 7! ", 8))[:256])},
		{"latin-256", latin},
		{"cjk-256", cjk},
	}
	_ = p.Validate("warm-up the blocklist", u)
	for _, c := range cases {
		if err := p.Validate(c.pw, u); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		b.Run(c.name, func(b *testing.B) {
			t0 := time.Now()
			for range b.N {
				_, _ = precis.OpaqueString.String(c.pw)
			}
			floor := time.Since(t0)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if p.Validate(c.pw, u) != nil {
					b.Fatal("refused")
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed())/float64(floor), "x-precis")
		})
	}
}
