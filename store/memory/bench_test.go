package memory_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// floorNs returns the mean cost in nanoseconds of op over at least 1000
// runs and 100 ms.
func floorNs(op func()) float64 {
	start := time.Now()
	n := 0
	for n < 1000 || time.Since(start) < 100*time.Millisecond {
		op()
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

func record() profile.Record {
	return profile.Record{
		UserID:      "ada",
		Profile:     profile.Profile{FirstName: "Ada", Email: "ada@example.com", Attributes: map[string]string{"department": "Engines"}},
		Password:    profile.PasswordState{Hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", History: []string{"$argon2id$old"}},
		Preferences: profile.Preferences{Language: "en"},
	}
}

// BenchmarkGet reads one record; x-floor is its cost over a read of a
// map[string]profile.Record under a sync.RWMutex with a Record.Clone, the
// least a non-aliasing in-memory store can do.
func BenchmarkGet(b *testing.B) {
	s := memory.New()
	ctx := context.Background()
	if err := s.Create(ctx, record()); err != nil {
		b.Fatal(err)
	}
	var mu sync.RWMutex
	m := map[string]profile.Record{"ada": record()}
	var sink profile.Record
	floor := floorNs(func() {
		mu.RLock()
		sink = m["ada"].Clone()
		mu.RUnlock()
	})
	_ = sink
	for b.Loop() {
		if _, err := s.Get(ctx, "ada"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "x-floor")
}

// BenchmarkUpdate is an uncontended compare-and-swap update; x-floor is
// its cost over a map write of a cloned record under a sync.Mutex.
func BenchmarkUpdate(b *testing.B) {
	s := memory.New()
	ctx := context.Background()
	if err := s.Create(ctx, record()); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	m := map[string]profile.Record{}
	r := record()
	floor := floorNs(func() {
		mu.Lock()
		m["ada"] = r.Clone()
		mu.Unlock()
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
