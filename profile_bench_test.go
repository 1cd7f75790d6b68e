package profile_test

import (
	"context"
	"testing"
	"time"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// benchRatio runs op b.N times and reports its cost as a ratio to floor,
// run b.N times just before in the same process (testing.Benchmark cannot
// be nested inside a running benchmark: it would deadlock).
func benchRatio(b *testing.B, unit string, floor, op func() error) {
	b.Helper()
	b.ReportAllocs()
	b.StopTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := floor(); err != nil {
			b.Fatal(err)
		}
	}
	floorNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.StartTimer()
	b.ResetTimer()
	start = time.Now()
	for i := 0; i < b.N; i++ {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	opNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.StopTimer()
	if floorNs > 0 {
		b.ReportMetric(opNs/floorNs, unit)
		b.ReportMetric(floorNs, "floor-ns/op")
	}
}

func benchService(b *testing.B) (*profile.Service, *memory.Store) {
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com"}); err != nil {
		b.Fatal(err)
	}
	return svc, st
}

// BenchmarkGetProfile reports GetProfile's cost as a ratio to a bare
// memory-store Get (goal: at most 2x).
func BenchmarkGetProfile(b *testing.B) {
	ctx := context.Background()
	svc, st := benchService(b)
	benchRatio(b, "x-store-get",
		func() error { _, err := st.Get(ctx, "alice"); return err },
		func() error { _, err := svc.GetProfile(ctx, "alice"); return err })
}

// BenchmarkUpdateProfile reports UpdateProfile's cost as a ratio to a bare
// memory-store Get plus CAS Update of the same change (goal: at most 2x).
func BenchmarkUpdateProfile(b *testing.B) {
	ctx := context.Background()
	svc, st := benchService(b)
	names := [2]string{"Martin", "Durand"}
	i, j := 0, 0
	benchRatio(b, "x-store-update",
		func() error {
			r, err := st.Get(ctx, "alice")
			if err != nil {
				return err
			}
			j++
			r.Profile.LastName = names[j%2]
			_, err = st.Update(ctx, r)
			return err
		},
		func() error {
			i++
			_, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{LastName: &names[i%2]})
			return err
		})
}
