// Command postgres tells the My Profile story on PostgreSQL, whose data
// outlives the process: run it twice. The first run creates alice and saves
// her changes; the next runs find her as the last run left her. Any number
// of instances may run at once over the same database.
//
//	PROFILE_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	    go run ./examples/postgres
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/postgres"
)

func main() {
	url := os.Getenv("PROFILE_POSTGRES_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	ctx := context.Background()
	// The host owns the pool and shares it with the rest of its application.
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
		os.Exit(1)
	}
	defer pool.Close()
	store, err := postgres.New(ctx, pool, postgres.Config{Schema: "profilekit_example"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
		os.Exit(1)
	}
	fmt.Println("database: schema profilekit_example")
	if err := run(ctx, store, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
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

	// Save with the version she saw: an edit made meanwhile, by this or
	// another instance, is refused with ErrConflict instead of overwritten.
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
