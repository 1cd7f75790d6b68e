// Package restart is the story the persistent-store examples tell: run it
// twice over the same store and the second run finds what the first saved.
package restart

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/profilekit/profile"
)

// Run opens alice's profile, creating her on the first run, and saves one
// change per run: a visit counter and, on the first run, her language and
// password.
func Run(ctx context.Context, store profile.Store, out io.Writer) error {
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
