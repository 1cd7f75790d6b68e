package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/profilekit/profile"
)

// passwordStory is the password part of the story: the rules beside the
// form, a weak password refused with every broken rule listed, a good one
// accepted, a wrong current password, and the SSO user refused.
func passwordStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	step(out, "The host sets Alice's first password (an administrator's reset works the same way)")
	if err := svc.SetPassword(ctx, "alice", "Spring-meadow-7"); err != nil {
		return err
	}

	step(out, "Password tab: the rules Alice sees beside the form")
	page, err := svc.Page(ctx, "alice")
	if err != nil {
		return err
	}
	for _, r := range page.Password.Rules {
		fmt.Fprintf(out, "   * %s\n", r)
	}

	step(out, "Alice types a weak new password and a different confirmation: every broken rule at once")
	err = svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "Spring-meadow-7", New: "alice", Confirm: "alice1"})
	printViolations(out, err)
	fmt.Fprintf(out, "   confirmation mismatch found with errors.Is: %v\n", errors.Is(err, profile.ErrPasswordMismatch))

	step(out, "A wrong current password is refused (and counted: 5 in 15 minutes, then a pause)")
	err = svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "Autumn-leaves-1", New: "Harbour-lights-42", Confirm: "Harbour-lights-42"})
	fmt.Fprintf(out, "   %s\n", svc.Message(page.Language, err))

	step(out, "Alice picks a good one and clicks Save")
	err = svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "Spring-meadow-7", New: "Harbour-lights-42", Confirm: "Harbour-lights-42"})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   %s\n", svc.Labels(page.Language)["ui.password_changed"])
	fmt.Fprintf(out, "   sign-in with the new password: %v\n", svc.VerifyPassword(ctx, "alice", "Harbour-lights-42") == nil)

	step(out, "Bob signs in through SSO: his Password tab and ChangePassword say why he cannot change it here")
	page, err = svc.Page(ctx, "bob")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   can change: %v; tab says: %s\n", page.Password.CanChange, page.Password.Message)
	err = svc.ChangePassword(ctx, "bob", profile.PasswordChange{Current: "anything", New: "Harbour-lights-42", Confirm: "Harbour-lights-42"})
	fmt.Fprintf(out, "   error: %s\n", err)
	return nil
}
