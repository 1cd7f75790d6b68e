package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
	"github.com/profilekit/profile/store/storetest"
)

// brokenEnv selects a deliberately broken store for the child process.
const brokenEnv = "STORETEST_BROKEN"

// ignoresRevision is a store whose Update never checks the revision.
type ignoresRevision struct{ *memory.Store }

func (s ignoresRevision) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	cur, err := s.Store.Get(ctx, r.UserID)
	if err != nil {
		return profile.Record{}, err
	}
	r.Revision = cur.Revision
	return s.Store.Update(ctx, r)
}

// aliases returns the caller's own record from Get, sharing its maps.
type aliases struct {
	*memory.Store
	last map[string]profile.Record
}

func (s *aliases) Create(ctx context.Context, r profile.Record) error {
	s.last[r.UserID] = r
	return s.Store.Create(ctx, r)
}

func (s *aliases) Get(ctx context.Context, id string) (profile.Record, error) {
	got, err := s.Store.Get(ctx, id)
	if r, ok := s.last[id]; ok && err == nil {
		r.Revision = got.Revision
		return r, nil
	}
	return got, err
}

// TestBrokenStoreChild runs the suite on a broken store; it only runs as the
// child process of TestSuiteCatchesBrokenStores.
func TestBrokenStoreChild(t *testing.T) {
	switch os.Getenv(brokenEnv) {
	case "":
		t.Skip("child process of TestSuiteCatchesBrokenStores only")
	case "ignores-revision":
		storetest.Run(t, func(t *testing.T) profile.Store { return ignoresRevision{memory.New()} })
	case "aliases":
		storetest.Run(t, func(t *testing.T) profile.Store {
			return &aliases{Store: memory.New(), last: map[string]profile.Record{}}
		})
	}
}

func TestSuiteCatchesBrokenStores(t *testing.T) {
	cases := map[string]string{
		"ignores-revision": "StaleRevisionIsErrConflictAndChangesNothing",
		"aliases":          "RecordsDoNotAlias",
	}
	for broken, failing := range cases {
		t.Run(broken, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenStoreChild$", "-test.v")
			cmd.Env = append(os.Environ(), brokenEnv+"="+broken)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite passed a broken store:\n%s", out)
			assert.Contains(t, string(out), "--- FAIL: TestBrokenStoreChild/"+failing, "output:\n%s", out)
			assert.False(t, strings.Contains(string(out), "panic:"), "the suite panicked:\n%s", out)
		})
	}
}
