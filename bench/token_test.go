package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/pbkdf2"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// tokenFixture is a Service over the memory store with n users, each with
// an API token.
type tokenFixture struct {
	svc    *profile.Service
	store  *memory.Store
	ids    []string
	tokens []string
	setup  time.Duration
}

// tokenFixtures caches fixtures by user count: a sub-benchmark's function
// runs several times (b.N = 1, then more), and 1M users take a while.
var tokenFixtures = map[int]*tokenFixture{}

func tokenPolicy() *profile.Policy {
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	return &pol
}

func newTokenFixture(b *testing.B, n int) *tokenFixture {
	b.Helper()
	if fx := tokenFixtures[n]; fx != nil {
		return fx
	}
	start := time.Now()
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st, Policy: tokenPolicy()})
	if err != nil {
		b.Fatal(err)
	}
	fx := &tokenFixture{svc: svc, store: st, ids: make([]string, n), tokens: make([]string, n)}
	ctx := context.Background()
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				id := fmt.Sprintf("user-%07d", i)
				if err := svc.CreateUser(ctx, id, profile.Profile{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com"}); err != nil {
					errs[w] = err
					return
				}
				tok, err := svc.RegenerateToken(ctx, id)
				if err != nil {
					errs[w] = err
					return
				}
				fx.ids[i], fx.tokens[i] = id, tok.Plaintext()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	fx.setup = time.Since(start)
	tokenFixtures[n] = fx
	return fx
}

// digestIndex is the floor's index: one map from a token's SHA-256 to the
// user and the digest, so one lookup gives both.
type digestIndex map[profile.TokenDigest]struct {
	id string
	d  profile.TokenDigest
}

func newDigestIndex(fx *tokenFixture) digestIndex {
	idx := make(digestIndex, len(fx.tokens))
	for i, tok := range fx.tokens {
		d := profile.TokenDigest(sha256.Sum256([]byte(tok)))
		idx[d] = struct {
			id string
			d  profile.TokenDigest
		}{fx.ids[i], d}
	}
	return idx
}

// authenticate is the floor: SHA-256 of the token, one map lookup, a
// constant-time compare of the digests.
func (idx digestIndex) authenticate(tok string) (string, bool) {
	d := profile.TokenDigest(sha256.Sum256([]byte(tok)))
	e := idx[d]
	return e.id, subtle.ConstantTimeCompare(e.d[:], d[:]) == 1
}

// pbkdf2Index is a token check like Gitea's access tokens
// (models/auth/access_token.go): each token has a random 10-character salt
// and is stored as the hex PBKDF2-HMAC-SHA256 of the token (10000
// iterations, 50 bytes); a request looks the candidates up by the token's
// last eight characters, derives the key again with each candidate's salt
// and compares in constant time. (Gitea also caches a verified token in an
// LRU; this is the check its cache saves, run on every uncached request.)
type pbkdf2Index map[string][]pbkdf2Entry

type pbkdf2Entry struct{ id, salt, hash string }

func pbkdf2Hash(tok, salt string) string {
	return hex.EncodeToString(pbkdf2.Key([]byte(tok), []byte(salt), 10000, 50, sha256.New))
}

func newPBKDF2Index(ids, tokens []string) pbkdf2Index {
	idx := make(pbkdf2Index, len(tokens))
	for i, tok := range tokens {
		salt := make([]byte, 5)
		_, _ = rand.Read(salt)
		e := pbkdf2Entry{id: ids[i], salt: hex.EncodeToString(salt)}
		e.hash = pbkdf2Hash(tok, e.salt)
		last := tok[len(tok)-8:]
		idx[last] = append(idx[last], e)
	}
	return idx
}

func (idx pbkdf2Index) authenticate(tok string) (string, bool) {
	if len(tok) < 8 {
		return "", false
	}
	for _, e := range idx[tok[len(tok)-8:]] {
		if subtle.ConstantTimeCompare([]byte(e.hash), []byte(pbkdf2Hash(tok, e.salt))) == 1 {
			return e.id, true
		}
	}
	return "", false
}

// BenchmarkAuthenticate compares Authenticate (a valid token of one of
// 1000 users, memory store) with the bare floor and with a Gitea-style
// PBKDF2 check of the same tokens (64 of them: its cost does not depend on
// the number of users).
func BenchmarkAuthenticate(b *testing.B) {
	fx := newTokenFixture(b, 1000)
	floor := newDigestIndex(fx)
	peer := newPBKDF2Index(fx.ids[:64], fx.tokens[:64])
	ctx := context.Background()
	var sink string
	compare(b,
		func(i int) {
			id, err := fx.svc.Authenticate(ctx, fx.tokens[i%len(fx.tokens)])
			if err != nil {
				b.Fatal(err)
			}
			sink = id
		},
		floorOf("floor", func(i int) {
			id, ok := floor.authenticate(fx.tokens[i%len(fx.tokens)])
			if !ok {
				b.Fatal("floor: no match")
			}
			sink = id
		}),
		rivalOf("pbkdf2", 1024, func(i int) {
			id, ok := peer.authenticate(fx.tokens[i%64])
			if !ok {
				b.Fatal("pbkdf2: no match")
			}
			sink = id
		}),
	)
	_ = sink
}

// BenchmarkAuthenticateUsers shows Authenticate's cost against the number
// of users in the memory store, with the floor over the same users.
func BenchmarkAuthenticateUsers(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			fx := newTokenFixture(b, n)
			floor := newDigestIndex(fx)
			ctx := context.Background()
			// Tokens in a fixed random order, so that lookups hit the
			// whole map rather than a cached corner of it.
			order := make([]int, 4096)
			for i := range order {
				order[i] = int(uint64(i) * 2654435761 % uint64(n))
			}
			var sink string
			compare(b,
				func(i int) { sink, _ = fx.svc.Authenticate(ctx, fx.tokens[order[i%len(order)]]) },
				floorOf("floor", func(i int) { sink, _ = floor.authenticate(fx.tokens[order[i%len(order)]]) }),
			)
			b.ReportMetric(fx.setup.Seconds(), "setup-s")
			_ = sink
		})
	}
}
