package profile

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"hash/crc32"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sextets packs 6-bit values into bytes, 4 to every 3 bytes.
func sextets(vs ...byte) []byte {
	var out []byte
	for i := 0; i+4 <= len(vs); i += 4 {
		g := uint32(vs[i])<<18 | uint32(vs[i+1])<<12 | uint32(vs[i+2])<<6 | uint32(vs[i+3])
		out = append(out, byte(g>>16), byte(g>>8), byte(g))
	}
	return out
}

func TestFillBase62_EverySextetIsUsedOrRejectedWithoutBias(t *testing.T) {
	// Each of the 64 six-bit values, once: each of the 62 characters comes
	// out exactly once and 62 and 63 are rejected, so a uniform source gives
	// uniform characters.
	vs := make([]byte, 64)
	for i := range vs {
		vs[i] = byte(i)
	}
	dst := make([]byte, 64)
	n := fillBase62(dst, 0, sextets(vs...))
	require.Equal(t, 62, n)
	assert.Equal(t, tokenAlphabet, string(dst[:n]), "value v is character v of the alphabet")
}

func TestFillBase62_RejectsAndStopsWhenFull(t *testing.T) {
	dst := make([]byte, 3)
	assert.Equal(t, 3, fillBase62(dst, 1, sextets(62, 0, 63, 1, 2, 3, 4, 5)))
	assert.Equal(t, []byte{0, '0', '1'}, dst)
	assert.Equal(t, 1, fillBase62(dst, 1, []byte{0, 0}), "a partial group is ignored")
}

func TestChecksum_IsCRC32IEEEInFixedWidthBase62(t *testing.T) {
	for _, s := range []string{"", "a", "pk_", "pk_" + strings.Repeat("Z", 43), strings.Repeat("\xff", 100)} {
		assert.Equal(t, crc32.ChecksumIEEE([]byte(s)), crc32IEEE(s), "%q", s)
		assert.Equal(t, crc32.ChecksumIEEE([]byte(s)), crc32IEEE([]byte(s)), "%q", s)
	}
	buf := make([]byte, 200)
	rand.Read(buf)
	for n := 0; n <= len(buf); n++ {
		require.Equal(t, crc32.ChecksumIEEE(buf[:n]), crc32IEEE(buf[:n]), "length %d", n)
	}
	for _, sum := range []uint32{0, 1, 61, 62, 1 << 31, math.MaxUint32} {
		var dst [tokenSumLen]byte
		putChecksum(dst[:], sum)
		var v uint64
		for _, c := range dst {
			d := base62Value(c)
			require.GreaterOrEqual(t, d, 0)
			v = v*62 + uint64(d)
		}
		assert.Equal(t, uint64(sum), v)
	}
	assert.Greater(t, math.Pow(62, tokenSumLen), float64(math.MaxUint32), "6 digits hold any CRC-32")
	assert.Greater(t, float64(tokenBodyLen)*math.Log2(62), 256.0, "the body holds at least 256 bits")
}

func newTestTokens(t testing.TB, prefix string, keys ...TokenKey) *tokens {
	t.Helper()
	var tk tokens
	require.NoError(t, tk.init(prefix, keys))
	return &tk
}

func testKey(id string, seed byte) TokenKey {
	k := TokenKey{ID: id, Key: make([]byte, 32)}
	for i := range k.Key {
		k.Key[i] = seed ^ byte(i*13+1)
	}
	return k
}

func TestGenerate_TokenParsesAndDigestIsItsSHA256(t *testing.T) {
	tk := newTestTokens(t, "")
	tok, d := tk.generate(nil)
	n, ok := parseToken(tok)
	require.True(t, ok)
	assert.Equal(t, "pk_", tok[:n])
	assert.Len(t, tok, 3+tokenTailLen)
	assert.Equal(t, TokenDigest(sha256.Sum256([]byte(tok))), d)
}

func sealed(t *testing.T, tk *tokens, userID string) (string, TokenState) {
	t.Helper()
	nonce := make([]byte, 24)
	tok, d := tk.generate(nonce)
	assert.NotEqual(t, make([]byte, 24), nonce, "the nonce is filled")
	id, box := tk.seal(userID, d, tok, nonce)
	assert.Equal(t, nonce, box[:24])
	return tok, TokenState{Digest: d, KeyID: id, Sealed: box}
}

func TestSeal_OpenRoundTrip(t *testing.T) {
	tk := newTestTokens(t, "", testKey("k1", 1))
	tok, st := sealed(t, tk, "alice")
	assert.Equal(t, "k1", st.KeyID)
	assert.NotContains(t, string(st.Sealed), tok[3:])
	got, err := tk.open("alice", st)
	require.NoError(t, err)
	assert.Equal(t, tok, got)

	// Sealing the same token twice gives different boxes (random nonce).
	_, other := sealed(t, tk, "alice")
	assert.NotEqual(t, st.Sealed[:24], other.Sealed[:24])
}

func TestSeal_EveryFlippedBitIsDetected(t *testing.T) {
	tk := newTestTokens(t, "", testKey("k1", 1))
	_, st := sealed(t, tk, "alice")
	for i := range st.Sealed {
		for bit := 0; bit < 8; bit++ {
			bad := st
			bad.Sealed = bytes.Clone(st.Sealed)
			bad.Sealed[i] ^= 1 << bit
			_, err := tk.open("alice", bad)
			require.ErrorIs(t, err, errSealBroken, "byte %d bit %d", i, bit)
		}
	}
}

func TestSeal_AdditionalDataBindsUserDigestAndKeyID(t *testing.T) {
	tk := newTestTokens(t, "", testKey("k1", 1), testKey("k2", 2))
	_, st := sealed(t, tk, "alice")
	_, other := sealed(t, tk, "alice")

	_, err := tk.open("bob", st)
	assert.ErrorIs(t, err, errSealBroken, "moved to another user")
	_, err = tk.open("alic", st)
	assert.ErrorIs(t, err, errSealBroken, "user ID is length-prefixed")

	swapped := st
	swapped.Digest = other.Digest
	_, err = tk.open("alice", swapped)
	assert.ErrorIs(t, err, errSealBroken, "paired with another digest")

	relabelled := st
	relabelled.KeyID = "k2"
	_, err = tk.open("alice", relabelled)
	assert.ErrorIs(t, err, errSealBroken, "relabelled with another key")
}

func TestSeal_KeyRotation(t *testing.T) {
	k1, k2 := testKey("k1", 1), testKey("k2", 2)
	before := newTestTokens(t, "", k1)
	tok1, st1 := sealed(t, before, "alice")

	rotated := newTestTokens(t, "", k2, k1)
	got, err := rotated.open("alice", st1)
	require.NoError(t, err, "old key still opens")
	assert.Equal(t, tok1, got)
	tok2, st2 := sealed(t, rotated, "alice")
	assert.Equal(t, "k2", st2.KeyID, "the first key seals")

	retired := newTestTokens(t, "", k2)
	_, err = retired.open("alice", st1)
	assert.ErrorIs(t, err, errUnknownKey)
	assert.False(t, retired.retrievable(st1))
	got, err = retired.open("alice", st2)
	require.NoError(t, err)
	assert.Equal(t, tok2, got)

	_, err = newTestTokens(t, "").open("alice", st2)
	assert.ErrorIs(t, err, errNoKeyRing)
}

func TestSeal_SealedTokenMustMatchTheDigest(t *testing.T) {
	// A record whose seal is authentic but whose digest is not the token's
	// (a buggy store, or a seal made for a digest mix-up) does not reveal.
	tk := newTestTokens(t, "", testKey("k1", 1))
	nonce := make([]byte, 24)
	tok, _ := tk.generate(nonce)
	var wrong TokenDigest
	wrong[0] = 1
	id, box := tk.seal("alice", wrong, tok, nonce)
	_, err := tk.open("alice", TokenState{Digest: wrong, KeyID: id, Sealed: box})
	assert.ErrorIs(t, err, errSealedInvalid)
}

// upperGammaQ is the regularized upper incomplete gamma function Q(a, x),
// by its series (x < a+1) or its continued fraction (modified Lentz).
func upperGammaQ(a, x float64) float64 {
	if x <= 0 {
		return 1
	}
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 100000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return 1 - front*sum
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 100000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return front * h
}

// chiSquareCritical returns x such that P(X >= x) = alpha for a chi-square
// variable X with df degrees of freedom.
func chiSquareCritical(df int, alpha float64) float64 {
	lo, hi := 0.0, float64(df)+100*math.Sqrt(2*float64(df))+100
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if upperGammaQ(float64(df)/2, mid/2) > alpha {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func TestChiSquareCritical_MatchesPublishedTables(t *testing.T) {
	for _, tc := range []struct {
		df    int
		alpha float64
		want  float64
	}{
		{1, 0.05, 3.841459},
		{2, 0.05, 5.991465},
		{10, 0.01, 23.209251},
		{61, 0.05, 80.232},
		{100, 0.001, 149.449},
	} {
		assert.InDelta(t, tc.want, chiSquareCritical(tc.df, tc.alpha), 0.002, "df %d alpha %g", tc.df, tc.alpha)
	}
	// For 2 degrees of freedom the tail is exp(-x/2): exact for any alpha.
	assert.InDelta(t, -2*math.Log(1e-6), chiSquareCritical(2, 1e-6), 1e-6)
}

func TestGenerate_UniformOverTheAlphabet(t *testing.T) {
	// Two chi-square tests on the real generator: the 62 characters pooled
	// over every body position (61 degrees of freedom), and each position
	// separately, summed (43*61 degrees of freedom). Each is run at
	// alpha = 5e-7, so a correct generator fails this test with probability
	// below 1e-6 (union bound).
	const samples = 20000
	const alpha = 5e-7
	tk := newTestTokens(t, "")
	var pooled [62]float64
	var perPos [tokenBodyLen][62]float64
	for i := 0; i < samples; i++ {
		tok, _ := tk.generate(nil)
		body := tok[3 : 3+tokenBodyLen]
		for p := 0; p < len(body); p++ {
			v := base62Value(body[p])
			pooled[v]++
			perPos[p][v]++
		}
	}
	chi := func(counts []float64, expected float64) float64 {
		var x float64
		for _, o := range counts {
			x += (o - expected) * (o - expected) / expected
		}
		return x
	}
	xPooled := chi(pooled[:], samples*tokenBodyLen/62.0)
	critPooled := chiSquareCritical(61, alpha)
	assert.Less(t, xPooled, critPooled, "pooled chi-square, 61 df")

	var xPos float64
	for p := range perPos {
		xPos += chi(perPos[p][:], samples/62.0)
	}
	critPos := chiSquareCritical(tokenBodyLen*61, alpha)
	assert.Less(t, xPos, critPos, "per-position chi-square, %d df", tokenBodyLen*61)
	t.Logf("pooled %.1f < %.1f; per position %.1f < %.1f", xPooled, critPooled, xPos, critPos)

	// The test can fail: a generator that never emits 'z' is caught.
	pooled[61] += pooled[60]
	pooled[60] = 0
	assert.Greater(t, chi(pooled[:], samples*tokenBodyLen/62.0), critPooled, "a biased count is detected")
}

func TestGenerate_NoRepeatsOver100kDraws(t *testing.T) {
	tk := newTestTokens(t, "")
	const draws = 100_000
	seen := make(map[string]struct{}, draws)
	bodies := make(map[string]struct{}, draws)
	for i := 0; i < draws; i++ {
		tok, _ := tk.generate(nil)
		seen[tok] = struct{}{}
		bodies[tok[3:3+16]] = struct{}{} // even 16 characters (95 bits) never repeat
	}
	assert.Len(t, seen, draws)
	assert.Len(t, bodies, draws)
}

// tokBenchVsFloor times floor over b.N iterations, then op over b.N timed
// iterations, and reports the floor's time and op's time as a multiple of
// it, measured in the same run.
func tokBenchVsFloor(b *testing.B, floorName string, floor, op func()) {
	b.ReportAllocs()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		floor()
	}
	floorNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op()
	}
	b.StopTimer()
	opNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(floorNs, floorName+"-ns/op")
	b.ReportMetric(opNs/floorNs, "x-"+floorName)
}

// BenchmarkGenerateToken measures drawing a new token (random bytes,
// base62 by rejection, checksum, the string, its SHA-256 digest) against
// the floor of reading the 36 random bytes it needs. Goal: 450 ns.
func BenchmarkGenerateToken(b *testing.B) {
	tk := newTestTokens(b, "")
	var rnd [tokenRandBytes]byte
	var sink string
	b.Run("vs-rand", func(b *testing.B) {
		tokBenchVsFloor(b, "rand36", func() { rand.Read(rnd[:]) }, func() { sink, _ = tk.generate(nil) })
	})
	_ = sink
}

// BenchmarkSealToken measures sealing a token for the copy button.
func BenchmarkSealToken(b *testing.B) {
	tk := newTestTokens(b, "", testKey("k1", 1))
	nonce := make([]byte, 24)
	tok, d := tk.generate(nonce)
	b.ReportAllocs()
	for b.Loop() {
		tk.seal("alice", d, tok, nonce)
	}
}
