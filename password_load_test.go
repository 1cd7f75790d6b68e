package profile_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// heapPeak samples the heap every half millisecond until stop is called,
// and returns the highest live heap (as marked by the last GC cycle) and
// the highest heap in objects (live and not yet swept), above what they
// were when it started.
func heapPeak() (stop func() (live, objects uint64)) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(samples)
	base := [2]uint64{samples[0].Value.Uint64(), samples[1].Value.Uint64()}
	var peak [2]uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			for i := range peak {
				if v := samples[i].Value.Uint64(); v > base[i] && v-base[i] > peak[i] {
					peak[i] = v - base[i]
				}
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		<-finished
		return peak[0], peak[1]
	}
}

// loadFixture creates n users sharing one password in a Service with
// hashing config h, with the hash computed once and copied.
func loadFixture(t *testing.T, n int, h profile.HashingConfig) (*profile.Service, *memory.Store, []string) {
	t.Helper()
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st, Hashing: h})
	require.NoError(t, err)
	ctx := context.Background()
	ids := make([]string, n)
	var hash string
	for i := range ids {
		ids[i] = fmt.Sprintf("user-%04d", i)
		require.NoError(t, svc.CreateUser(ctx, ids[i], profile.Profile{FirstName: "Ada", Email: "ada@example.com"}))
		if i == 0 {
			require.NoError(t, svc.SetPassword(ctx, ids[0], "Plum-Kettle-Harbor-9"))
			rec, err := st.Get(ctx, ids[0])
			require.NoError(t, err)
			hash = rec.Password.Hash
			continue
		}
		rec, err := st.Get(ctx, ids[i])
		require.NoError(t, err)
		rec.Password.Hash = hash
		_, err = st.Update(ctx, rec)
		require.NoError(t, err)
	}
	return svc, st, ids
}

// TestChangePassword_ThousandConcurrentChangesStayWithinHashingMemory: 1000
// password changes started at once (2000 argon2id computations of 1 MiB)
// all succeed, waiting for the 2 hashing slots, and the peak live heap
// stays within what 2 slots can hold. The live heap is what a GC cycle
// marked, and a buffer allocated while a cycle runs is counted live by it,
// so each slot may show two buffers: the bound checked is 2 x Concurrency
// x Memory, plus 4 MiB for the 1000 requests themselves. Unbounded, the
// same burst holds a buffer per preempted hash (with Concurrency 1000
// this measured a peak of 110 MiB live against 4.7 MiB bounded).
func TestChangePassword_ThousandConcurrentChangesStayWithinHashingMemory(t *testing.T) {
	const n = 1000
	h := profile.HashingConfig{Memory: 1024, Time: 1, Threads: 1, Concurrency: 2}
	svc, _, ids := loadFixture(t, n, h)
	ctx := context.Background()

	stop := heapPeak()
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range ids {
		wg.Go(func() {
			<-start
			errs[i] = svc.ChangePassword(ctx, id, profile.PasswordChange{Current: "Plum-Kettle-Harbor-9", New: "Otter-Lantern-Quay-4", Confirm: "Otter-Lantern-Quay-4"})
		})
	}
	close(start)
	wg.Wait()
	live, objects := stop()

	for i, err := range errs {
		require.NoError(t, err, ids[i])
	}
	bound := 2*uint64(h.Concurrency)*uint64(h.Memory)<<10 + 4<<20
	t.Logf("1000 concurrent changes: peak live heap +%.1f MiB, peak heap objects +%.1f MiB; Concurrency x Memory = %d MiB; bound checked %.1f MiB",
		mib(live), mib(objects), h.Concurrency*int(h.Memory)>>10, mib(bound))
	assert.LessOrEqual(t, live, bound, "peak live heap above the hashing bound")
	require.NoError(t, svc.VerifyPassword(ctx, ids[n-1], "Otter-Lantern-Quay-4"))
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// TestSetPassword_RequestsBeyondTheHashingBoundWaitOrHonourCancellation:
// while the only hashing slot is held, 100 password sets whose context
// ends return the context's error without hashing or writing anything,
// and 100 with a live context wait, then all succeed once the slot frees.
func TestSetPassword_RequestsBeyondTheHashingBoundWaitOrHonourCancellation(t *testing.T) {
	const n = 100
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st, Hashing: profile.HashingConfig{Memory: 64, Time: 1, Threads: 1, Concurrency: 1}})
	require.NoError(t, err)
	var hashes atomic.Int64
	held, release := make(chan struct{}), make(chan struct{})
	profile.SetHashHook(svc, func() {
		if hashes.Add(1) == 1 { // the first hash holds the slot
			close(held)
			<-release
		}
	})
	bg := context.Background()
	ids := make([]string, 2*n+1)
	for i := range ids {
		ids[i] = fmt.Sprintf("user-%04d", i)
		require.NoError(t, svc.CreateUser(bg, ids[i], profile.Profile{FirstName: "Ada", Email: "ada@example.com"}))
	}
	first := make(chan error, 1)
	go func() { first <- svc.SetPassword(bg, ids[0], "Plum-Kettle-Harbor-9") }()
	<-held

	ctx, cancel := context.WithTimeout(bg, 20*time.Millisecond)
	defer cancel()
	errs := make([]error, len(ids))
	var cancelled, waiting sync.WaitGroup
	for i := 1; i <= n; i++ {
		cancelled.Go(func() { errs[i] = svc.SetPassword(ctx, ids[i], "Plum-Kettle-Harbor-9") })
		waiting.Go(func() { errs[n+i] = svc.SetPassword(bg, ids[n+i], "Plum-Kettle-Harbor-9") })
	}
	cancelled.Wait()
	assert.Equal(t, int64(1), hashes.Load(), "a call computed a hash while the slot was held")
	for i := 1; i <= n; i++ {
		assert.ErrorIs(t, errs[i], context.DeadlineExceeded, ids[i])
		rec, err := st.Get(bg, ids[i])
		require.NoError(t, err)
		assert.Empty(t, rec.Password.Hash, "%s: a cancelled call wrote a hash", ids[i])
	}

	close(release)
	require.NoError(t, <-first)
	waiting.Wait()
	for i := n + 1; i <= 2*n; i++ {
		require.NoError(t, errs[i], ids[i])
		rec, err := st.Get(bg, ids[i])
		require.NoError(t, err)
		assert.NotEmpty(t, rec.Password.Hash, ids[i])
	}
	assert.Equal(t, int64(n+1), hashes.Load())
}
