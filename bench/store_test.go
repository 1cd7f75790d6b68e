package bench

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
	"github.com/profilekit/profile/store/postgres"
	"github.com/profilekit/profile/store/sqlite"
)

// storeUsers is how many users each store benchmark works on.
const storeUsers = 1000

// storeFixture is a Service over one store with storeUsers users, each with
// a token.
type storeFixture struct {
	svc    *profile.Service
	store  profile.Store
	ids    []string
	tokens []string
	// subjectCalls and floorCalls count the updates done so far, so that
	// every update changes the last name whichever run of the benchmark
	// it belongs to.
	subjectCalls, floorCalls int
}

// storeFixtures caches fixtures by store kind for the whole run (a
// sub-benchmark's function runs several times, and -count repeats it);
// closers holds what TestMain closes when the benchmarks are over.
var (
	storeFixtures = map[string]*storeFixture{}
	closers       []func()
)

// closeFixtures closes every store and connection pool the fixtures
// opened (and drops the PostgreSQL schema).
func closeFixtures() {
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
	closers = nil
}

// openStore returns a fresh store of the kind, closed (and for PostgreSQL
// dropped) by closeFixtures, or skips b when PostgreSQL is unreachable.
func openStore(b *testing.B, kind string) profile.Store {
	b.Helper()
	ctx := context.Background()
	switch kind {
	case "memory":
		return memory.New()
	case "sqlite":
		dir, err := os.MkdirTemp("", "profilebench")
		if err != nil {
			b.Fatal(err)
		}
		closers = append(closers, func() { _ = os.RemoveAll(dir) })
		st, err := sqlite.Open(ctx, filepath.Join(dir, "profiles.db"), sqlite.Config{})
		if err != nil {
			b.Fatal(err)
		}
		closers = append(closers, func() { _ = st.Close() })
		return st
	case "postgres":
		url := os.Getenv("PROFILE_POSTGRES_URL")
		if url == "" {
			url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
		}
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			b.Fatalf("PROFILE_POSTGRES_URL: %v", err)
		}
		cfg.MaxConns = 20
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		pool, err := pgxpool.NewWithConfig(pctx, cfg)
		if err == nil {
			if err = pool.Ping(pctx); err != nil {
				pool.Close()
			}
		}
		if err != nil {
			b.Skipf("PostgreSQL unreachable (%v): set PROFILE_POSTGRES_URL", err)
		}
		suffix := make([]byte, 6)
		_, _ = crand.Read(suffix)
		schema := "profilebench_" + hex.EncodeToString(suffix)
		closers = append(closers, func() {
			_, _ = pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			pool.Close()
		})
		st, err := postgres.New(ctx, pool, postgres.Config{Schema: schema})
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	b.Fatalf("unknown store %q", kind)
	return nil
}

func newStoreFixture(b *testing.B, kind string) *storeFixture {
	b.Helper()
	if fx := storeFixtures[kind]; fx != nil {
		return fx
	}
	st := openStore(b, kind)
	svc, err := profile.New(profile.Config{Store: st, Policy: tokenPolicy()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	fx := &storeFixture{svc: svc, store: st, ids: make([]string, storeUsers), tokens: make([]string, storeUsers)}
	for i := range storeUsers {
		fx.ids[i] = fmt.Sprintf("user-%04d", i)
		if err := svc.CreateUser(ctx, fx.ids[i], benchPerson); err != nil {
			b.Fatal(err)
		}
		tok, err := svc.RegenerateToken(ctx, fx.ids[i])
		if err != nil {
			b.Fatal(err)
		}
		fx.tokens[i] = tok.Plaintext()
	}
	storeFixtures[kind] = fx
	return fx
}

var storeKinds = []string{"memory", "sqlite", "postgres"}

// BenchmarkStore measures each store's Get and compare-and-swap Update
// (reported as "store-get-ns/op" and "store-update-ns/op") beside the
// Service calls built on them, GetProfile and UpdateProfile, so that the
// ratio is the library's own overhead on that store.
func BenchmarkStore(b *testing.B) {
	ctx := context.Background()
	names := [2]string{"Martin", "Durand"}
	for _, kind := range storeKinds {
		b.Run(kind+"/Get", func(b *testing.B) {
			fx := newStoreFixture(b, kind)
			var sink any
			compare(b,
				func(i int) {
					v, err := fx.svc.GetProfile(ctx, fx.ids[i%storeUsers])
					if err != nil {
						b.Fatal(err)
					}
					sink = v
				},
				floorOf("store-get", func(i int) {
					r, err := fx.store.Get(ctx, fx.ids[(i+1)%storeUsers])
					if err != nil {
						b.Fatal(err)
					}
					sink = r
				}),
			)
			_ = sink
		})
		b.Run(kind+"/Update", func(b *testing.B) {
			fx := newStoreFixture(b, kind)
			// The subject works on the first half of the users and the
			// floor on the second, each pass over its half changing every
			// last name (Martin, then Durand, then Martin...).
			const half = storeUsers / 2
			compare(b,
				func(int) {
					k := fx.subjectCalls
					fx.subjectCalls++
					last := names[(k/half+1)%2]
					if _, err := fx.svc.UpdateProfile(ctx, fx.ids[k%half], profile.ProfileUpdate{LastName: &last}); err != nil {
						b.Fatal(err)
					}
				},
				floorOf("store-update", func(int) {
					// The same change through the store alone: Get, then
					// compare-and-swap Update.
					k := fx.floorCalls
					fx.floorCalls++
					r, err := fx.store.Get(ctx, fx.ids[half+k%half])
					if err != nil {
						b.Fatal(err)
					}
					r.Profile.LastName = names[(k/half+1)%2]
					r.ProfileVersion++
					if _, err := fx.store.Update(ctx, r); err != nil {
						b.Fatal(err)
					}
				}),
			)
		})
	}
}

// BenchmarkMixed runs a parallel workload on each store with 16
// goroutines: 80% Authenticate, 15% GetProfile and 5% UpdateProfile over
// random users. ns/op is wall time per operation (all goroutines
// together); "x-store-mix" compares it with the same mix done on the store
// alone (SHA-256 + GetByToken, Get, Get + Update), run just before.
func BenchmarkMixed(b *testing.B) {
	names := [2]string{"Martin", "Durand"}
	for _, kind := range storeKinds {
		b.Run(kind, func(b *testing.B) {
			fx := newStoreFixture(b, kind)
			ctx := context.Background()
			var failures atomic.Int64
			mix := func(serviceOp bool) func(pb *testing.PB) {
				return func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
					for pb.Next() {
						u := rng.IntN(storeUsers)
						var err error
						switch p := rng.IntN(100); {
						case p < 80 && serviceOp:
							_, err = fx.svc.Authenticate(ctx, fx.tokens[u])
						case p < 80:
							_, err = fx.store.GetByToken(ctx, profile.TokenDigest(sha256.Sum256([]byte(fx.tokens[u]))))
						case p < 95 && serviceOp:
							_, err = fx.svc.GetProfile(ctx, fx.ids[u])
						case p < 95:
							_, err = fx.store.Get(ctx, fx.ids[u])
						case serviceOp:
							_, err = fx.svc.UpdateProfile(ctx, fx.ids[u], profile.ProfileUpdate{LastName: &names[rng.IntN(2)]})
						default:
							var r profile.Record
							last := names[rng.IntN(2)]
							if r, err = fx.store.Get(ctx, fx.ids[u]); err == nil && r.Profile.LastName != last {
								r.Profile.LastName = last
								r.ProfileVersion++
								_, err = fx.store.Update(ctx, r)
							}
						}
						if err != nil && !errorsIsConflict(err) {
							failures.Add(1)
						}
					}
				}
			}
			// Warm up: open the pools' connections and fill the caches with
			// the same 16 goroutines, then time the store alone and the
			// Service.
			var wg sync.WaitGroup
			for range 16 {
				wg.Go(func() {
					for i := range 32 {
						_, _ = fx.svc.Authenticate(ctx, fx.tokens[i%storeUsers])
						_, _ = fx.store.Get(ctx, fx.ids[i%storeUsers])
					}
				})
			}
			wg.Wait()
			b.SetParallelism(max(16/runtimeProcs(), 1))
			b.ResetTimer()
			t0 := time.Now()
			b.RunParallel(mix(false))
			floor := time.Since(t0)
			t0 = time.Now()
			b.RunParallel(mix(true))
			subj := time.Since(t0)
			b.StopTimer()
			if n := failures.Load(); n > 0 {
				b.Fatalf("%d operations failed", n)
			}
			b.ReportMetric(float64(subj.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(floor.Nanoseconds())/float64(b.N), "store-mix-ns/op")
			b.ReportMetric(float64(subj)/float64(floor), "x-store-mix")
			b.ReportMetric(float64(b.N)/subj.Seconds(), "ops/s")
		})
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// errorsIsConflict: a compare-and-swap update that lost a race is the
// store working as designed, not a failure.
func errorsIsConflict(err error) bool { return errors.Is(err, profile.ErrConflict) }
