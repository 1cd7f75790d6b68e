package bench

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trustelem/zxcvbn"
	passwordvalidator "github.com/wagslane/go-password-validator"
	"golang.org/x/text/secure/precis"

	"github.com/profilekit/profile"
)

// The inputs of the rule-checking comparison: what users type.
var (
	password12  = "Tr0ub4dor&3x"
	passphrase  = "correct horse battery staple, then seven purple otters sang loud"
	unicode256  = unicodeInput()
	ruleInputs  = []struct{ name, pw string }{{"ascii-12", password12}, {"passphrase-64", passphrase}, {"unicode-256", unicode256}}
	benchPerson = profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice.martin@example.com", Username: "amartin"}
	// benchPolicy is the default rules with the embedded blocklist, two
	// host words, and a maximum length that lets every input through.
	benchPolicy = profile.PasswordPolicy{MaxLength: 1024, Blocklist: []string{"profilekit", "acme"}}
)

// unicodeInput returns 256 runes of letters from four scripts and spaces.
func unicodeInput() string {
	src := []rune("Grüße aus Köln und Zürich 日本語で話す пароль ўлад Ελληνικά ")
	out := make([]rune, 256)
	for i := range out {
		out[i] = src[(i*7)%len(src)]
	}
	return string(out)
}

func TestRuleInputs_HaveTheirStatedSizesAndPass(t *testing.T) {
	assert.Equal(t, 12, len(password12))
	assert.Equal(t, 64, len(passphrase))
	assert.Equal(t, 256, utf8.RuneCountInString(unicode256))
	for _, in := range ruleInputs {
		// An accepted input is checked against every rule: the benchmark
		// measures the full check, not an early refusal.
		require.NoError(t, benchPolicy.Validate(in.pw, benchPerson), in.name)
	}
}

// BenchmarkPasswordRules compares PasswordPolicy.Validate (PRECIS
// normalisation, length and class rules, personal information, the
// embedded blocklist and host words) with zxcvbn's strength estimate and
// go-password-validator's entropy check of the same input.
func BenchmarkPasswordRules(b *testing.B) {
	userInputs := []string{benchPerson.FirstName, benchPerson.LastName, benchPerson.Email, benchPerson.Username}
	for _, in := range ruleInputs {
		b.Run(in.name, func(b *testing.B) {
			var sink any
			compare(b,
				func(int) { sink = benchPolicy.Validate(in.pw, benchPerson) },
				rivalOf("zxcvbn", 256, func(int) { sink = zxcvbn.PasswordStrength(in.pw, userInputs) }),
				rivalOf("passwordvalidator", 64, func(int) { sink = passwordvalidator.Validate(in.pw, 60) }),
			)
			_ = sink
		})
	}
}

// BenchmarkPasswordRulesGrowth shows Validate's cost against the input's
// size, up to profile.MaxPasswordBytes, as ns per byte and as a ratio to
// the PRECIS OpaqueString normalisation of the same input (the least any
// rule needs).
func BenchmarkPasswordRulesGrowth(b *testing.B) {
	for _, size := range []int{8, 64, 512, 4096} {
		pw := growthPassword(size)
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			var sink any
			ns := compare(b,
				func(int) { sink = benchPolicy.Validate(pw, benchPerson) },
				floorOf("precis", func(int) { sink, _ = precis.OpaqueString.String(pw) }),
			)
			b.ReportMetric(ns/float64(size), "ns/byte")
			_ = sink
		})
	}
}

// growthPassword returns size ASCII bytes without long runs or words.
func growthPassword(size int) string {
	const alphabet = "aZ3$kQ9!mW2#pL7&xR5*"
	var sb strings.Builder
	for i := 0; i < size; i++ {
		sb.WriteByte(alphabet[(i*7+i/len(alphabet))%len(alphabet)])
	}
	return sb.String()
}
