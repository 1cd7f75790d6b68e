package profile_test

import (
	"context"
	"testing"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// floorNsPerOp measures fn as its own benchmark, so a benchmark can report
// its cost as a ratio to a floor measured in the same run.
func floorNsPerOp(fn func(b *testing.B)) float64 {
	r := testing.Benchmark(fn)
	if r.N == 0 {
		return 0
	}
	return float64(r.T.Nanoseconds()) / float64(r.N)
}

// reportRatio reports ns/op of the benchmark just run divided by floor.
func reportRatio(b *testing.B, floor float64, unit string) {
	b.Helper()
	if floor <= 0 || b.N == 0 {
		return
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/floor, unit)
	b.ReportMetric(floor, "floor-ns/op")
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
	floor := floorNsPerOp(func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Get(ctx, "alice"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.GetProfile(ctx, "alice"); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b, floor, "x-store-get")
}

// BenchmarkUpdateProfile reports UpdateProfile's cost as a ratio to a bare
// memory-store Get plus CAS Update (goal: at most 2x).
func BenchmarkUpdateProfile(b *testing.B) {
	ctx := context.Background()
	svc, st := benchService(b)
	floor := floorNsPerOp(func(b *testing.B) {
		for b.Loop() {
			r, err := st.Get(ctx, "alice")
			if err != nil {
				b.Fatal(err)
			}
			r.Profile.LastName = "Floor"
			if _, err := st.Update(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	names := [2]string{"Martin", "Durand"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{LastName: &names[i%2]}); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b, floor, "x-store-update")
}
