// Command sqlite tells the My Profile story on a SQLite file, which
// outlives the process: run it twice. The first run creates alice and saves
// her changes; the next runs find her as the last run left her.
//
//	go run ./examples/sqlite                      # file in the temp directory
//	go run ./examples/sqlite -db ./profiles.db    # or PROFILE_SQLITE_PATH
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/profilekit/profile/examples/internal/restart"
	"github.com/profilekit/profile/store/sqlite"
)

func main() {
	path := os.Getenv("PROFILE_SQLITE_PATH")
	if path == "" {
		path = filepath.Join(os.TempDir(), "profilekit-example.db")
	}
	flag.StringVar(&path, "db", path, "SQLite database file (created if missing)")
	flag.Parse()

	ctx := context.Background()
	store, err := sqlite.Open(ctx, path, sqlite.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlite example:", err)
		os.Exit(1)
	}
	defer store.Close()
	fmt.Printf("database: %s\n", path)
	if err := restart.Run(ctx, store, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sqlite example:", err)
		os.Exit(1)
	}
}
