package sqlite

import (
	"context"
	"testing"
	"time"
)

// floorNs returns the mean cost in nanoseconds of op, run for at least 200
// times and 200 ms: the bare statement a Store call is compared with in the
// same run.
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
// primary-key SELECT of one column on the same database.
func BenchmarkGet(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	if err := s.Create(ctx, stored("ada", 10)); err != nil {
		b.Fatal(err)
	}
	floor := floorNs(b, func() error {
		var rev int64
		return s.revision.QueryRowContext(ctx, "ada").Scan(&rev)
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
	s, _ := openTemp(b)
	ctx := context.Background()
	if err := s.Create(ctx, stored("ada", 10)); err != nil {
		b.Fatal(err)
	}
	bare, err := s.db.PrepareContext(ctx, `UPDATE profile_records SET profile_version = profile_version + 1 WHERE user_id = ?`)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	floor := floorNs(b, func() error {
		_, err := bare.ExecContext(ctx, "ada")
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
