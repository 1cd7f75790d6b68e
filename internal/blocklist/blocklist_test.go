package blocklist

import (
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLen_AtLeast20000Words(t *testing.T) {
	assert.GreaterOrEqual(t, Len(), 20_000)
}

func TestList_IsSortedLowercaseAndUnique(t *testing.T) {
	l := load()
	require.Greater(t, l.len(), 0)
	for i := 0; i < l.len(); i++ {
		w := l.at(i)
		require.NotEmpty(t, w)
		require.Equal(t, strings.ToLower(w), w, "word %d", i)
		if i > 0 {
			require.Less(t, l.at(i-1), w, "word %d out of order", i)
		}
	}
	assert.True(t, sort.SliceIsSorted(l.offs, func(i, j int) bool { return l.offs[i] < l.offs[j] }))
}

func TestContains(t *testing.T) {
	tests := []struct {
		pw   string
		want bool
	}{
		{"password", true},
		{"PassWord", true},
		{"123456", true},
		{"qwerty", true},
		{"dragon", true},
		{"DRAGON", true},
		{"", false},
		{"xq7-unlikely-zz", false},
		{"Blue-Giraffe-Kettle-41", false},
		{"correct horse battery staple 7", false},
		{"ünïcödé-not-there", false},
		{"\xff\xfe", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Contains(tt.pw), "%q", tt.pw)
	}
}

func TestContains_EveryWordIsFound(t *testing.T) {
	l := load()
	for i := 0; i < l.len(); i += 97 {
		w := l.at(i)
		assert.True(t, Contains(w), w)
		assert.True(t, Contains(strings.ToUpper(w)), w)
	}
	assert.True(t, Contains(l.at(0)))
	assert.True(t, Contains(l.at(l.len()-1)))
}

func TestContains_ASCIIDoesNotAllocate(t *testing.T) {
	Len()
	allocs := testing.AllocsPerRun(100, func() { Contains("Tr0ub4dor&3xyz") })
	assert.Zero(t, allocs)
}

// BenchmarkHeap decodes the list into a fresh value and reports the heap
// it keeps, in bytes and MiB (goal: at most 1.5 MiB).
func BenchmarkHeap(b *testing.B) {
	var kept uint64
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l := decode()
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(l)
	}
	b.ReportMetric(float64(kept), "heap-bytes")
	b.ReportMetric(float64(kept)/(1<<20), "heap-MiB")
}

func BenchmarkContains(b *testing.B) {
	Len()
	b.ReportAllocs()
	for range b.N {
		Contains("Tr0ub4dor&3xyz")
	}
}
