package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/storetest"
)

// openTemp opens a Store on a new file in t's temporary directory.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profiles.db")
	s, err := Open(context.Background(), path, Config{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) profile.Store {
		s, _ := openTemp(t)
		return s
	})
}
