// Command quickstart tells the My Profile story step by step on the
// embedded in-memory store: personal information, preferences, password and
// API token, for a local user and for a user who signs in through SSO.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// sso says that bob signs in through the organization's Okta, which also
// owns his email address.
var sso = profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
	if userID == "bob" {
		return profile.Identity{SSO: true, Provider: "Okta", Managed: []string{profile.FieldEmail}}, nil
	}
	return profile.Identity{}, nil
})

func run(ctx context.Context, out io.Writer) error {
	// The administrator enables every tab, the API token included, and
	// asks for a digit in every password.
	policy := profile.DefaultPolicy()
	policy.Features = profile.AllFeatures()
	policy.Password.MinDigit = 1
	policy.Password.History = 3

	// A key ring lets users copy their API token later; keep the key in a
	// secret manager, not in code.
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	svc, err := profile.New(profile.Config{
		Store:     memory.New(),
		Identity:  sso,
		Policy:    &policy,
		TokenKeys: []profile.TokenKey{{ID: "2026-11", Key: key}},
		Events: func(_ context.Context, e profile.Event) {
			fmt.Fprintf(out, "   event: %s %s %v\n", e.Kind, e.UserID, e.Fields)
		},
	})
	if err != nil {
		return err
	}

	step(out, "The host creates two accounts: alice (local) and bob (SSO)")
	if err := svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com", Username: "alice"}); err != nil {
		return err
	}
	if err := svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob", LastName: "Stone", Email: "bob@corp.example"}); err != nil {
		return err
	}

	step(out, "Alice opens My Profile")
	page, err := svc.Page(ctx, "alice")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   tabs: %v\n", page.Tabs)
	fmt.Fprintf(out, "   name: %s %s <%s> (version %d)\n", page.PersonalInfo.Profile.FirstName, page.PersonalInfo.Profile.LastName, page.PersonalInfo.Profile.Email, page.PersonalInfo.Version)

	step(out, "Personal Information Details: Alice fixes her last name and clicks Save")
	lastName := "Martin-Durand"
	view, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{LastName: &lastName, Version: page.PersonalInfo.Version})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   saved: %s %s (version %d)\n", view.Profile.FirstName, view.Profile.LastName, view.Version)

	step(out, "A second browser tab still shows the old version and saves: refused, nothing lost")
	firstName := "Alicia"
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: &firstName, Version: page.PersonalInfo.Version})
	fmt.Fprintf(out, "   conflict: %v\n", errors.Is(err, profile.ErrConflict))

	step(out, "Alice types a stray control character and a broken email: every broken rule at once")
	bad, email := "\x00", "not an email"
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: &bad, Email: &email})
	printViolations(out, err)

	step(out, "Bob's email is owned by Okta: he cannot change it here")
	newEmail := "bob@gmail.example"
	_, err = svc.UpdateProfile(ctx, "bob", profile.ProfileUpdate{Email: &newEmail})
	printViolations(out, err)

	for _, story := range []func(context.Context, *profile.Service, io.Writer) error{
		passwordStory,
		languageStory,
		tokenStory,
	} {
		if err := story(ctx, svc, out); err != nil {
			return err
		}
	}
	step(out, "Done")
	return nil
}

func step(out io.Writer, s string) { fmt.Fprintf(out, "\n== %s\n", s) }

func printViolations(out io.Writer, err error) {
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		fmt.Fprintf(out, "   error: %v\n", err)
		return
	}
	for _, v := range ve.Violations {
		fmt.Fprintf(out, "   - %s [%s]: %s\n", v.Field, v.Rule, v.Message)
	}
}
