package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/profilekit/profile"
)

// floorNs returns the mean cost in nanoseconds of op, run for at least 200
// times and 200 ms: the bare database round trip a Store call is compared
// with in the same run.
func floorNs(b *testing.B, op func() error) float64 {
	b.Helper()
	start := time.Now()
	n := 0
	for n < 200 || time.Since(start) < 200*time.Millisecond {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// BenchmarkGet reads one record; x-floor is its cost over a bare
// primary-key SELECT of one column.
func BenchmarkGet(b *testing.B) {
	pool := newPool(b)
	s := newStore(b, pool)
	ctx := context.Background()
	if err := s.Create(ctx, stored("ada", 10)); err != nil {
		b.Fatal(err)
	}
	bare := `SELECT revision FROM ` + s.table + ` WHERE user_id = $1`
	floor := floorNs(b, func() error {
		var rev int64
		return pool.QueryRow(ctx, bare, "ada").Scan(&rev)
	})
	for b.Loop() {
		if _, err := s.Get(ctx, "ada"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "x-floor")
}

// BenchmarkUpdate is an uncontended compare-and-swap update of a whole
// record; x-floor is its cost over a bare one-column UPDATE of the row.
func BenchmarkUpdate(b *testing.B) {
	pool := newPool(b)
	s := newStore(b, pool)
	ctx := context.Background()
	if err := s.Create(ctx, stored("ada", 10)); err != nil {
		b.Fatal(err)
	}
	bare := `UPDATE ` + s.table + ` SET profile_version = profile_version + 1 WHERE user_id = $1`
	floor := floorNs(b, func() error {
		_, err := pool.Exec(ctx, bare, "ada")
		return err
	})
	rec, err := s.Get(ctx, "ada")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rec.ProfileVersion++
		if rec, err = s.Update(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "x-floor")
}

// parallelFloor returns how many bare one-column UPDATE statements per
// second goroutines sessions commit on random rows of users, measured for
// about 500 ms after a warm-up that fills the pool: what the server does
// with no Store around it.
func parallelFloor(b *testing.B, pool *pgxpool.Pool, table string, goroutines, users int) float64 {
	b.Helper()
	measure(b, pool, table, goroutines, users, 100*time.Millisecond)
	return measure(b, pool, table, goroutines, users, 500*time.Millisecond)
}

func measure(b *testing.B, pool *pgxpool.Pool, table string, goroutines, users int, d time.Duration) float64 {
	ctx := context.Background()
	bare := `UPDATE ` + table + ` SET first_name = first_name WHERE user_id = $1`
	var done atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if _, err := pool.Exec(ctx, bare, fmt.Sprint("u", rand.IntN(users))); err != nil {
					b.Error(err)
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds()
}

// BenchmarkParallelUpdate has 16 goroutines increment the profile version
// of 64 users chosen at random, each increment a Get and a CAS Update
// retried on conflict, and reports successful updates per second, and that
// rate over the rate of bare one-column UPDATEs measured in the same run
// (of-floor). At the end each user's version must equal the increments
// counted for it: a lost update fails the benchmark.
func BenchmarkParallelUpdate(b *testing.B) {
	const goroutines, users = 16, 64
	pool := newPool(b)
	s := newStore(b, pool)
	ctx := context.Background()
	for u := range users {
		if err := s.Create(ctx, profile.Record{UserID: fmt.Sprint("u", u)}); err != nil {
			b.Fatal(err)
		}
	}
	floor := parallelFloor(b, pool, s.table, goroutines, users)
	var counts [users]atomic.Int64
	var conflicts, next atomic.Int64
	errs := make(chan error, goroutines)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				u := rand.IntN(users)
				id := fmt.Sprint("u", u)
				for {
					rec, err := s.Get(ctx, id)
					if err != nil {
						errs <- err
						return
					}
					rec.ProfileVersion++
					_, err = s.Update(ctx, rec)
					if errors.Is(err, profile.ErrConflict) {
						conflicts.Add(1)
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					counts[u].Add(1)
					break
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	var lost int64
	for u := range users {
		rec, err := s.Get(ctx, fmt.Sprint("u", u))
		if err != nil {
			b.Fatal(err)
		}
		lost += counts[u].Load() - rec.ProfileVersion
	}
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "updates/s")
	b.ReportMetric(rate/floor, "of-floor")
	b.ReportMetric(float64(conflicts.Load())/float64(b.N), "conflicts/op")
	b.ReportMetric(float64(lost), "lost")
	if lost != 0 {
		b.Fatalf("%d updates lost", lost)
	}
}
