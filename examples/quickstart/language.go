package main

import (
	"context"
	"fmt"
	"io"

	"github.com/profilekit/profile"
)

// languageStory: on the Preferences tab Alice picks German; from then on
// the dropdown names the languages in German and her password rules speak
// German.
func languageStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	step(out, "Preferences: Alice's browser asks for Swiss German first")
	fmt.Fprintf(out, "   Accept-Language de-CH, en;q=0.8 resolves to %q\n", svc.ResolveLanguage(ctx, "alice", "de-CH, en;q=0.8"))

	step(out, "Alice picks Deutsch from the dropdown and clicks Save")
	prefs, err := svc.SetLanguage(ctx, "alice", "de")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   saved: %s\n", prefs.Language)

	step(out, "The dropdown, now in German (name, then the language's own name)")
	opts, err := svc.Languages(ctx, "alice")
	if err != nil {
		return err
	}
	for _, o := range opts {
		mark := " "
		if o.Selected {
			mark = "*"
		}
		fmt.Fprintf(out, "   %s %-8s %-30s %s\n", mark, o.Tag, o.Name, o.SelfName)
	}

	step(out, "A request for Traditional Chinese (zh-TW), which the product does not offer, is refused")
	_, err = svc.SetLanguage(ctx, "alice", "zh-TW")
	fmt.Fprintf(out, "   error: %v\n", err)
	fmt.Fprintf(out, "   shown to Alice: %s\n", svc.Message(prefs.Language, err))

	step(out, `Alice tries the password "kurz": the violations come back in German`)
	printViolations(out, svc.CheckPassword(ctx, "alice", "kurz"))
	return nil
}
