package bench

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain closes the stores the benchmarks share, then fails the run if
// any goroutine is left behind (goleak).
func TestMain(m *testing.M) {
	code := m.Run()
	closeFixtures()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// baseline is code measured beside a subject in the same benchmark: a
// floor (the bare work the subject cannot avoid; reported as "x-<name>",
// subject time over floor time) or a rival (a peer library or another way
// to do the same job; reported as "speedup-vs-<name>", rival time over
// subject time). A baseline runs once per every subject runs, so that a
// slow rival does not eat the benchmark's time.
type baseline struct {
	name  string
	rival bool
	every int
	run   func(i int)
}

// minSubject is the least time compare spends running the subject.
const minSubject = 200 * time.Millisecond

func floorOf(name string, run func(i int)) baseline { return baseline{name: name, every: 1, run: run} }

func rivalOf(name string, every int, run func(i int)) baseline {
	return baseline{name: name, rival: true, every: max(every, 1), run: run}
}

// compare runs subject b.N times, interleaved in chunks with each
// baseline, so that all of them see the same machine load, and reports
// ns/op as the subject's own time, "<name>-ns/op" for each baseline and
// the ratios described on baseline. (testing.Benchmark cannot be nested
// in a running benchmark, so everything is timed here by hand.) It
// returns the subject's ns/op.
func compare(b *testing.B, subject func(i int), baselines ...baseline) float64 {
	b.Helper()
	subject(0) // warm lazy tables and caches
	for _, bl := range baselines {
		bl.run(0)
	}
	chunk := min(max(b.N/16, 1), 512)
	var subj time.Duration
	spent := make([]time.Duration, len(baselines))
	runs := make([]int, len(baselines))
	b.ResetTimer()
	// A slow rival can hold b.N down to a few iterations: the subject then
	// keeps running (still interleaved) until it has run for minSubject,
	// so that its figure is never one cold call.
	// Slow operations (one per chunk) and rivals (peer libraries, which
	// allocate much more than the subject) leave garbage that the next
	// timed segment would pay for: collect it, untimed, before every
	// segment, so that each side pays only for its own work.
	settle := chunk == 1
	for _, bl := range baselines {
		settle = settle || bl.rival
	}
	gc := func() {
		if settle {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
		}
	}
	done := 0
	for done < b.N || subj < minSubject && rivalBound(subj, spent) {
		n := chunk
		if done < b.N {
			n = min(chunk, b.N-done)
		}
		gc()
		t0 := time.Now()
		for i := done; i < done+n; i++ {
			subject(i)
		}
		subj += time.Since(t0)
		done += n
		for k, bl := range baselines {
			due := max(done/bl.every, 1)
			if runs[k] >= due {
				continue
			}
			gc()
			t0 := time.Now()
			for j := runs[k]; j < due; j++ {
				bl.run(j)
			}
			spent[k] += time.Since(t0)
			runs[k] = due
		}
	}
	b.StopTimer()
	subjRuns := done
	subjNs := float64(subj.Nanoseconds()) / float64(subjRuns)
	b.ReportMetric(subjNs, "ns/op")
	for k, bl := range baselines {
		ns := float64(spent[k].Nanoseconds()) / float64(runs[k])
		b.ReportMetric(ns, bl.name+"-ns/op")
		if bl.rival {
			b.ReportMetric(ns/subjNs, "speedup-vs-"+bl.name)
		} else {
			b.ReportMetric(subjNs/ns, "x-"+bl.name)
		}
	}
	return subjNs
}

// rivalBound reports whether the baselines took over 20 times the
// subject's time, so that they, not the subject, set b.N.
func rivalBound(subj time.Duration, spent []time.Duration) bool {
	var total time.Duration
	for _, d := range spent {
		total += d
	}
	return total > 20*subj
}
