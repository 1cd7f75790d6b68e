package profile_test

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"testing"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

const benchUsers = 1000

// benchTokenService returns a Service over the memory store with
// benchUsers users, each with a token, and the tokens.
func benchTokenService(b *testing.B, keys []profile.TokenKey) (*profile.Service, *memory.Store, []string) {
	b.Helper()
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st, Policy: &pol, TokenKeys: keys})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	toks := make([]string, benchUsers)
	for i := range toks {
		id := fmt.Sprintf("user-%04d", i)
		if err := svc.CreateUser(ctx, id, profile.Profile{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com"}); err != nil {
			b.Fatal(err)
		}
		tok, err := svc.RegenerateToken(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		toks[i] = tok.Plaintext()
	}
	return svc, st, toks
}

// BenchmarkAuthenticate measures the hot path on a hit against a floor of
// the irreducible work: SHA-256 of the token, one map lookup by digest,
// and a constant-time compare of the digests. Goal: at most 1.5x the
// floor and 2 allocations.
func BenchmarkAuthenticate(b *testing.B) {
	for _, keyed := range []bool{false, true} {
		var keys []profile.TokenKey
		if keyed {
			keys = tokRing("k1")
		}
		b.Run(fmt.Sprintf("hit/keyring=%t", keyed), func(b *testing.B) {
			svc, _, toks := benchTokenService(b, keys)
			// The floor's index: one map from digest to the user and the
			// stored digest, so one lookup gives both.
			type entry struct {
				id string
				d  profile.TokenDigest
			}
			index := make(map[profile.TokenDigest]entry, len(toks))
			for i, tok := range toks {
				d := sha256.Sum256([]byte(tok))
				index[d] = entry{id: fmt.Sprintf("user-%04d", i), d: d}
			}
			ctx := context.Background()
			var i int
			var sink string
			floor := func() error {
				tok := toks[i%len(toks)]
				i++
				var buf [80]byte
				d := profile.TokenDigest(sha256.Sum256(buf[:copy(buf[:], tok)]))
				e := index[d]
				if subtle.ConstantTimeCompare(e.d[:], d[:]) != 1 {
					return errors.New("floor: mismatch")
				}
				sink = e.id
				return nil
			}
			op := func() error {
				id, err := svc.Authenticate(ctx, toks[i%len(toks)])
				i++
				sink = id
				return err
			}
			benchRatio(b, "x-floor", floor, op)
			_ = sink
		})
	}
}

// BenchmarkAuthenticate_BadChecksum measures refusing a mistyped token,
// which touches no store. Goal: at most 100 ns and 0 allocations. The
// floor is SHA-256 of the token, which the reject does not need.
func BenchmarkAuthenticate_BadChecksum(b *testing.B) {
	svc, _, toks := benchTokenService(b, nil)
	bad := []byte(toks[0])
	bad[10] ^= 'a' ^ 'b' // still base62, wrong checksum
	if bad[10] > 'z' || bad[10] < '0' {
		bad[10] = '0'
	}
	badTok := string(bad)
	ctx := context.Background()
	var sink [32]byte
	benchRatio(b, "x-sha256",
		func() error {
			var buf [80]byte
			sink = sha256.Sum256(buf[:copy(buf[:], badTok)])
			return nil
		},
		func() error {
			if _, err := svc.Authenticate(ctx, badTok); err != profile.ErrInvalidToken {
				return fmt.Errorf("want ErrInvalidToken, got %v", err)
			}
			return nil
		})
	_ = sink
}

// BenchmarkRegenerateToken measures a regeneration over the memory store
// (policy, generation, sealing with a key ring, one compare-and-swap
// write, the index update) against the floor of the store's own
// Get + Update cycle. Goal: 1.5 µs.
func BenchmarkRegenerateToken(b *testing.B) {
	for _, keyed := range []bool{false, true} {
		var keys []profile.TokenKey
		if keyed {
			keys = tokRing("k1")
		}
		b.Run(fmt.Sprintf("keyring=%t", keyed), func(b *testing.B) {
			svc, st, _ := benchTokenService(b, keys)
			ctx := context.Background()
			floor := func() error {
				rec, err := st.Get(ctx, "user-0001")
				if err != nil {
					return err
				}
				_, err = st.Update(ctx, rec)
				return err
			}
			op := func() error {
				_, err := svc.RegenerateToken(ctx, "user-0000")
				return err
			}
			benchRatio(b, "x-store-cas", floor, op)
		})
	}
}
