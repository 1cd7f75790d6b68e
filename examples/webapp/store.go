package main

import (
	"context"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/sqlite"
)

// openStore opens (creating when missing) the demo's SQLite database.
func openStore(ctx context.Context, path string) (profile.Store, func() error, error) {
	st, err := sqlite.Open(ctx, path, sqlite.Config{})
	if err != nil {
		return nil, nil, err
	}
	return st, st.Close, nil
}
