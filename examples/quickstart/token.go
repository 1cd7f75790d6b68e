package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/profilekit/profile"
)

// tokenStory is the API Token tab: Alice gets her first token, copies it,
// regenerates it, and the integration still holding the old one is
// refused while the new one is accepted.
func tokenStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	step(out, "API Token: Alice has no token yet and clicks Regenerate")
	page, err := svc.Page(ctx, "alice")
	if err != nil {
		return err
	}
	if page.APIToken == nil {
		return errors.New("the API Token tab is not enabled")
	}
	lang := page.Language // her texts, in her language
	fmt.Fprintf(out, "   has token: %t\n", page.APIToken.HasToken)
	first, err := svc.RegenerateToken(ctx, "alice")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   new token: %d characters starting %q\n", len(first.Plaintext()), first.Prefix())
	logged := fmt.Sprintf("%v", first)
	fmt.Fprintf(out, "   a log line shows only %q + the last 4 characters: %t\n",
		first.Prefix()+"…", logged == first.Prefix()+"…"+first.Plaintext()[len(first.Plaintext())-4:])

	step(out, "She clicks Copy: the key ring opens the sealed copy")
	copied, err := svc.RevealToken(ctx, "alice")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   copied the token she was shown: %t\n", copied.Plaintext() == first.Plaintext())
	user, err := svc.Authenticate(ctx, copied.Plaintext())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   an integration calls the API with it: authenticated as %s\n", user)

	step(out, "A typo in the integration's config is refused before any store read")
	typo := []byte(copied.Plaintext())
	if typo[10] == 'a' {
		typo[10] = 'b'
	} else {
		typo[10] = 'a'
	}
	_, err = svc.Authenticate(ctx, string(typo))
	fmt.Fprintf(out, "   refused: %t\n", errors.Is(err, profile.ErrInvalidToken))

	step(out, "Alice reads the warning and clicks Regenerate")
	fmt.Fprintf(out, "   warning: %s\n", svc.Labels(lang)["ui.token.regenerate_warning"])
	second, err := svc.RegenerateToken(ctx, "alice")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   %s\n", svc.Labels(lang)["ui.token.regenerated"])

	step(out, "The integration still using the old token is refused at once")
	_, err = svc.Authenticate(ctx, first.Plaintext())
	fmt.Fprintf(out, "   old token: %s\n", svc.Message(lang, err))

	step(out, "Alice gives it the new token: accepted")
	user, err = svc.Authenticate(ctx, second.Plaintext())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   new token: authenticated as %s\n", user)
	fmt.Fprintf(out, "   the token never appears in a log line: %t\n", !strings.Contains(fmt.Sprint(second), second.Plaintext()))
	return nil
}
