package main

import (
	"context"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// openStore opens the demo's store.
func openStore(ctx context.Context, path string) (profile.Store, func() error, error) {
	return memory.New(), func() error { return nil }, nil
}
