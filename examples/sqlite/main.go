// Command sqlite tells the My Profile story on a SQLite file, which
// outlives the process: run it twice. The first run creates alice and saves
// her changes; the next runs find her as the last run left her.
//
//	go run ./examples/sqlite                      # file in the temp directory
//	go run ./examples/sqlite -db ./profiles.db    # or PROFILE_SQLITE_PATH
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/profilekit/profile"
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
	if err := run(ctx, store, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sqlite example:", err)
		os.Exit(1)
	}
}

// run opens alice's profile, creating her on the first run, and saves one
// change per run: a visit counter and, on the first run, her language and
// password.
func run(ctx context.Context, store profile.Store, out io.Writer) error {
	svc, err := profile.New(profile.Config{
		Store:      store,
		Languages:  []string{"en", "fr"},
		Attributes: []profile.AttributeSpec{{Name: "visits", Label: "Visits"}},
	})
	if err != nil {
		return err
	}
	view, err := svc.GetProfile(ctx, "alice")
	switch {
	case errors.Is(err, profile.ErrNotFound):
		fmt.Fprintln(out, "first run: alice is not there yet; creating her")
		err = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com"})
		if err != nil {
			return err
		}
		if _, err := svc.SetLanguage(ctx, "alice", "fr"); err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, "alice", "Correct-Horse-42"); err != nil {
			return err
		}
		fmt.Fprintln(out, "password set: stored as an argon2id hash, never in plaintext")
		if view, err = svc.GetProfile(ctx, "alice"); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		page, err := svc.Page(ctx, "alice")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "found alice as the last run left her: %s %s <%s>, language %s, visits %s, version %d\n",
			view.Profile.FirstName, view.Profile.LastName, view.Profile.Email, page.Language,
			view.Profile.Attributes["visits"], view.Version)
		err = svc.VerifyPassword(ctx, "alice", "Correct-Horse-42")
		fmt.Fprintf(out, "the first run's password still verifies: %v\n", err == nil)
	}

	// Save with the version she saw: a concurrent edit would be refused
	// with ErrConflict instead of being overwritten.
	visits, _ := strconv.Atoi(view.Profile.Attributes["visits"])
	saved, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{
		Attributes: map[string]string{"visits": strconv.Itoa(visits + 1)},
		Version:    view.Version,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "saved: visits %s, version %d; run again to find it\n", saved.Profile.Attributes["visits"], saved.Version)
	return nil
}
