package profile_test

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestMain fails the package's tests when a goroutine they started is
// still running after they finish (a leak check without a dependency: the
// adapter, example and bench modules use go.uber.org/goleak).
func TestMain(m *testing.M) {
	before := goroutineStacks()
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(before, 5*time.Second); len(leaked) > 0 {
			fmt.Fprintf(os.Stderr, "profile tests leaked %d goroutine(s):\n\n%s\n", len(leaked), strings.Join(leaked, "\n\n"))
			code = 1
		}
	}
	os.Exit(code)
}

// goroutineStacks returns the stack of every goroutine but the caller's,
// keyed by its "goroutine N" header.
func goroutineStacks() map[string]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := make(map[string]string)
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 { // the caller
			continue
		}
		id, _, _ := strings.Cut(g, " [")
		stacks[id] = g
	}
	return stacks
}

// leakedGoroutines waits up to settle for the goroutines not in before
// to end, and returns the stacks of those still running, ignoring the
// runtime's and the testing package's own.
func leakedGoroutines(before map[string]string, settle time.Duration) []string {
	deadline := time.Now().Add(settle)
	for {
		var leaked []string
		for id, g := range goroutineStacks() {
			if _, old := before[id]; old || ignorableGoroutine(g) {
				continue
			}
			leaked = append(leaked, g)
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			return leaked
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ignorableGoroutine reports goroutines the runtime or the testing package
// keep for the life of the process (signal handling, fuzzing workers).
func ignorableGoroutine(stack string) bool {
	for _, s := range []string{"os/signal.signal_recv", "os/signal.loop", "runtime.ensureSigM", "testing.(*F).Fuzz", "testing.runFuzzing", "internal/fuzz."} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

func TestLeakCheck_FindsARunningGoroutineAndForgetsAnEndedOne(t *testing.T) {
	before := goroutineStacks()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-stop
	}()
	leaked := leakedGoroutines(before, 50*time.Millisecond)
	if assert.Len(t, leaked, 1) {
		assert.Contains(t, leaked[0], "TestLeakCheck_FindsARunningGoroutineAndForgetsAnEndedOne")
	}
	close(stop)
	<-done
	assert.Empty(t, leakedGoroutines(before, time.Second))
}
