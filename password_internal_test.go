package profile

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/secure/precis"
)

func TestIsStable_AgreesWithPRECIS(t *testing.T) {
	// Every rune of the fast path must come out of PRECIS OpaqueString
	// unchanged between ASCII letters.
	checked := 0
	for r := rune(0); r <= 0xffff; r++ {
		s := "a" + string(r) + "b"
		if !isStable(s) {
			continue
		}
		out, err := precis.OpaqueString.String(s)
		require.NoError(t, err, "%U", r)
		require.Equal(t, s, out, "%U", r)
		checked++
	}
	assert.Greater(t, checked, 30000, "the fast path covers ASCII, Latin, kana, CJK and Hangul")
	assert.True(t, isStable("Tr0ub4dor&3 ÆØÅ ß ǅ パスワード 密码 비밀번호"))
	assert.False(t, isStable("か\u3099"), "a combining voicing mark composes")
	assert.False(t, isStable("a\u30fbb"), "the katakana middle dot has a context rule")
	assert.False(t, isStable("a\u00a0b"), "a no-break space is mapped")
	assert.False(t, isStable("e\u0301"), "a combining mark may compose")
	assert.False(t, isStable("a\x7f"))
}

func TestNormalizePassword(t *testing.T) {
	tests := []struct {
		in, out, rule, bad string
	}{
		{"Tr0ub4dor&3", "Tr0ub4dor&3", "", ""},
		{"cafe\u0301", "caf\u00e9", "", ""},
		{"a\u3000b", "a b", "", ""},
		{"", "", "required", ""},
		{"ab\xffcd", "", "invalid_utf8", ""},
		{"ab\x00c\x00d\x1b", "", "disallowed_chars", "U+0000, U+001B"},
		{"a\u200db", "", "disallowed_chars", "U+200D"},
		{strings.Repeat("a", MaxPasswordBytes+1), "", "max_length", ""},
	}
	for _, tt := range tests {
		out, rule, bad := normalizePassword(tt.in)
		assert.Equal(t, tt.out, out, "%q", tt.in)
		assert.Equal(t, tt.rule, rule, "%q", tt.in)
		assert.Equal(t, tt.bad, bad, "%q", tt.in)
	}
}

func TestParsePHC_RoundTrip(t *testing.T) {
	h := phc{argonParams: argonParams{memory: 19456, time: 2, threads: 1}, salt: []byte("0123456789abcdef"), key: []byte("0123456789abcdef0123456789abcdef")}
	s := encodePHC(h)
	assert.Equal(t, "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", s)
	got, err := parsePHC(s)
	require.NoError(t, err)
	assert.Equal(t, h, got)
}

func TestParsePHC_RejectsMalformedWithoutPanic(t *testing.T) {
	const salt, key = "MDEyMzQ1Njc4OWFiY2RlZg", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
	bad := []string{
		"",
		"$argon2id$",
		"$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,          // t = 0
		"$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,          // p = 0
		"$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,     // 4 TiB
		"$argon2id$v=19$m=1048577,t=2,p=1$" + salt + "$" + key,        // just over 1 GiB
		"$argon2id$v=19$m=99999999999999,t=2,p=1$" + salt + "$" + key, // overflow
		"$argon2id$v=19$m=19456,t=65,p=1$" + salt + "$" + key,         // absurd time
		"$argon2id$v=19$m=19456,t=2,p=65$" + salt + "$" + key,         // absurd threads
		"$argon2id$v=19$m=16,t=2,p=4$" + salt + "$" + key,             // m < 8p
		"$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=+5,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "$",
		"$argon2id$v=19$m=19456,t=2,p=1$$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + key,                           // 4-byte salt
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$a2V5",                       // 3-byte key
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,                   // padded
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "!!",              // not base64
		"$argon2id$v=19$m=19456,t=2,p=1$" + strings.Repeat("A", 300) + "$" + key, // too long
	}
	for _, s := range bad {
		assert.NotPanics(t, func() {
			_, err := parsePHC(s)
			assert.ErrorIs(t, err, errPHC, "%q", s)
		})
	}
}

func FuzzParsePHC(f *testing.F) {
	const salt, key = "MDEyMzQ1Njc4OWFiY2RlZg", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
	for _, s := range []string{
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4294967295,t=4294967295,p=255$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=0$$",
		"$argon2id$v=19$m=,t=,p=$x$y",
		"$2b$10$abcdefghijklmnopqrstuuJ2sb0r6mZ8bRYbTxaNzJ3g1eVf4w8m",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			return
		}
		// Whatever parses is within the bounds, so verifying is safe.
		if h.time < 1 || h.time > MaxHashTime || h.threads < 1 || h.threads > MaxHashThreads ||
			h.memory < 8*uint32(h.threads) || h.memory > MaxHashMemory ||
			len(h.salt) < minPHCSalt || len(h.salt) > maxPHCSalt || len(h.key) < minPHCKey || len(h.key) > maxPHCKey {
			t.Fatalf("parsePHC accepted out-of-bounds parameters: m=%d t=%d p=%d salt=%d key=%d", h.memory, h.time, h.threads, len(h.salt), len(h.key))
		}
		if again, err := parsePHC(encodePHC(h)); err != nil || encodePHC(again) != encodePHC(h) {
			t.Fatalf("parsed hash does not round-trip")
		}
	})
}

func TestCompute_HonoursContextWhileWaiting(t *testing.T) {
	var p passwords
	require.NoError(t, p.init(HashingConfig{Memory: 64, Time: 1, Threads: 1, Concurrency: 1}))
	p.sem <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	ran := false
	err := p.compute(ctx, func() { ran = true })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, ran)
}

func TestCompute_BoundsConcurrency(t *testing.T) {
	var p passwords
	require.NoError(t, p.init(HashingConfig{Memory: 64, Time: 1, Threads: 1, Concurrency: 2}))
	var running, peak int64
	done := make(chan struct{})
	var mu = make(chan struct{}, 1)
	for range 8 {
		go func() {
			_ = p.compute(context.Background(), func() {
				mu <- struct{}{}
				running++
				peak = max(peak, running)
				<-mu
				time.Sleep(5 * time.Millisecond)
				mu <- struct{}{}
				running--
				<-mu
			})
			done <- struct{}{}
		}()
	}
	for range 8 {
		<-done
	}
	assert.Equal(t, int64(2), peak)
}

func TestHashingConfig_Bounds(t *testing.T) {
	for _, c := range []HashingConfig{
		{Memory: MaxHashMemory + 1},
		{Memory: 4, Threads: 1},
		{Time: MaxHashTime + 1},
		{Threads: MaxHashThreads + 1, Memory: 1 << 12},
		{Concurrency: -1},
	} {
		var p passwords
		assert.Error(t, p.init(c), "%+v", c)
	}
}

// BenchmarkHashOverhead measures passwords.hash with the default
// (production) parameters against a bare argon2.IDKey call with the same
// parameters in the same run, back to back, and reports the median of the
// per-pair ratios (goal: at most 1.05), which a load spike on a shared
// machine moves less than a ratio of sums.
func BenchmarkHashOverhead(b *testing.B) {
	var p passwords
	require.NoError(b, p.init(HashingConfig{}))
	pw, salt := "Tr0ub4dor&3x", []byte("0123456789abcdef")
	ctx := context.Background()
	measure := func(f func()) time.Duration { t0 := time.Now(); f(); return time.Since(t0) }
	raw := func() {
		argon2.IDKey([]byte(pw), salt, DefaultHashTime, DefaultHashMemory, DefaultHashThreads, hashKeyLen)
	}
	ours := func() {
		if _, err := p.hash(ctx, pw); err != nil {
			b.Fatal(err)
		}
	}
	ratios := make([]float64, 0, b.N)
	var sumRaw, sumOurs time.Duration
	for i := range b.N {
		var r, o time.Duration
		if i%2 == 0 { // alternate the order so neither side always runs second
			r, o = measure(raw), measure(ours)
		} else {
			o, r = measure(ours), measure(raw)
		}
		sumRaw, sumOurs = sumRaw+r, sumOurs+o
		ratios = append(ratios, float64(o)/float64(r))
	}
	slices.Sort(ratios)
	b.ReportMetric(float64(sumOurs.Nanoseconds())/float64(b.N), "hash-ns/op")
	b.ReportMetric(float64(sumRaw.Nanoseconds())/float64(b.N), "idkey-ns/op")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}

func TestContainsFold_AgreesWithLowerContains(t *testing.T) {
	subs := []string{"ali", "ALI", "ice", "e", "xyz", "a-b", "Alice", "aliceX", "ørs", "ΣΩΚ", "k"}
	ss := []string{"", "a", "ali", "xxALIce", "alialice", "my-a-b-c", "ALICE", "ØRSTED", "σωκράτης", "\u212a", "K"}
	for _, s := range ss {
		for _, sub := range subs {
			want := strings.Contains(strings.ToLower(s), strings.ToLower(sub)) ||
				(s == "\u212a" && strings.EqualFold(sub, "k")) // the Kelvin sign folds to k
			assert.Equal(t, want, containsFold(s, sub), "containsFold(%q, %q)", s, sub)
		}
	}
}

func TestNextWord(t *testing.T) {
	var words []string
	for rest := "Anne-Marie O'Neil_x.y+z@w\u2019v\u3000u"; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		words = append(words, w)
	}
	assert.Equal(t, []string{"Anne", "Marie", "O", "Neil", "x", "y", "z", "w", "v", "u"}, words)
}

func TestIsCaselessCJK_HoldsNoCasedLetterOrDigit(t *testing.T) {
	for r := rune(0); r <= 0x10ffff; r++ {
		if isCaselessCJK(r) {
			require.False(t, unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) || unicode.IsDigit(r), "%U", r)
		}
	}
}
