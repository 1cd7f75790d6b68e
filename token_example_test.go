package profile_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// The API Token tab with a key ring: the user regenerates a token, copies
// it later, regenerates again, and the old token stops working at once.
func ExampleService_RegenerateToken() {
	ctx := context.Background()
	key := make([]byte, 32) // in production: from a secret manager
	rand.Read(key)
	policy := profile.DefaultPolicy()
	policy.Features.APIToken = true // the administrator enables the tab
	svc, err := profile.New(profile.Config{
		Store:     memory.New(),
		Policy:    &policy,
		TokenKeys: []profile.TokenKey{{ID: "2026-11", Key: key}},
	})
	if err != nil {
		panic(err)
	}
	if err := svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"}); err != nil {
		panic(err)
	}

	first, _ := svc.RegenerateToken(ctx, "alice") // the first token
	copied, _ := svc.RevealToken(ctx, "alice")    // the copy button
	fmt.Println("copied the current token:", copied.Plaintext() == first.Plaintext())

	second, _ := svc.RegenerateToken(ctx, "alice")
	_, err = svc.Authenticate(ctx, first.Plaintext())
	fmt.Println("old token:", err)
	user, _ := svc.Authenticate(ctx, second.Plaintext())
	fmt.Println("new token authenticates:", user)
	// Output:
	// copied the current token: true
	// old token: profile: invalid API token
	// new token authenticates: alice
}

// Without a key ring a token is shown once, when it is generated.
func ExampleService_RevealToken_withoutKeyRing() {
	ctx := context.Background()
	policy := profile.DefaultPolicy()
	policy.Features.APIToken = true
	svc, _ := profile.New(profile.Config{Store: memory.New(), Policy: &policy})
	_ = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"})

	tok, _ := svc.RegenerateToken(ctx, "alice")
	fmt.Println("shown once:", tok.Plaintext() != "")
	_, err := svc.RevealToken(ctx, "alice")
	fmt.Println(errors.Is(err, profile.ErrTokenNotRetrievable))
	fmt.Println(svc.Message("en", err))
	// Output:
	// shown once: true
	// true
	// Your API token cannot be shown again. Regenerate it to get a new token.
}

// A Token prints redacted wherever it goes; Plaintext is the one way to the
// secret.
func ExampleToken() {
	ctx := context.Background()
	policy := profile.DefaultPolicy()
	policy.Features.APIToken = true
	svc, _ := profile.New(profile.Config{Store: memory.New(), Policy: &policy, TokenPrefix: "acme_"})
	_ = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"})
	tok, _ := svc.RegenerateToken(ctx, "alice")

	logLine := fmt.Sprintf("issued %v", tok)
	last4 := tok.Plaintext()[len(tok.Plaintext())-4:]
	fmt.Println(logLine == "issued acme_…"+last4)
	fmt.Println(strings.Contains(logLine, tok.Plaintext()[5:20]))
	fmt.Println(len(tok.Plaintext()))
	// Output:
	// true
	// false
	// 54
}

// ParseToken lets a host refuse a mistyped token before calling
// Authenticate, or a secret scanner recognise one.
func ExampleParseToken() {
	_, err := profile.ParseToken("pk_not-a-token")
	fmt.Println(err)
	// Output:
	// profile: invalid API token
}
