package sqlite

import (
	"context"
	"testing"

	"github.com/profilekit/profile/store/internal/adaptertest"
)

// BenchmarkGet reads one record; x-floor is its cost over a bare
// primary-key SELECT of one column on the same database.
func BenchmarkGet(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	if err := s.Create(ctx, stored("ada", 10)); err != nil {
		b.Fatal(err)
	}
	floor := adaptertest.FloorNs(b, func() error {
		var rev int64
		return s.revision.QueryRowContext(ctx, "ada").Scan(&rev)
	})
	adaptertest.Get(b, s, "ada", floor)
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
	floor := adaptertest.FloorNs(b, func() error {
		_, err := bare.ExecContext(ctx, "ada")
		return err
	})
	adaptertest.Update(b, s, "ada", floor)
}
