package profile_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// A page checks a candidate password as the user types, without a Service.
func ExamplePasswordPolicy_Validate() {
	policy := profile.PasswordPolicy{MinDigit: 1, MinSymbol: 1}
	user := profile.Profile{FirstName: "Alice", Email: "alice@example.com"}

	err := policy.Validate("alice", user)
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		for _, v := range ve.Violations {
			fmt.Printf("%s %v: %s\n", v.Rule, v.Params, v.Message)
		}
	}
	fmt.Println(policy.Validate("Harbour-lights-42", user))
	// Output:
	// min_length map[min:8]: Use at least 8 characters.
	// min_digit map[min:1]: Include at least 1 digit.
	// min_symbol map[min:1]: Include at least 1 symbol, such as ! or #.
	// personal_info map[]: Do not use your name, username or email address in your password.
	// common map[]: This password is too common and easy to guess. Choose another one.
	// <nil>
}

func ExamplePasswordPolicy_Describe() {
	policy := profile.PasswordPolicy{MinLength: 12, MinUpper: 1, History: 5}
	for _, s := range policy.Describe("en") {
		fmt.Println(s)
	}
	// Output:
	// At least 12 characters
	// At most 64 characters
	// At least 1 uppercase letter
	// Does not contain your name, username or email address
	// Different from your last 5 passwords
	// Not a commonly used password
}

func ExampleService_ChangePassword() {
	ctx := context.Background()
	svc, _ := profile.New(profile.Config{
		Store: memory.New(),
		Identity: profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
			return profile.Identity{SSO: userID == "bob"}, nil
		}),
	})
	_ = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice"})
	_ = svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob"})
	_ = svc.SetPassword(ctx, "alice", "Spring-meadow-7")

	err := svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "Spring-meadow-7", New: "Harbour-lights-42", Confirm: "Harbour-lights-4"})
	fmt.Println(errors.Is(err, profile.ErrPasswordMismatch))

	err = svc.ChangePassword(ctx, "alice", profile.PasswordChange{Current: "Spring-meadow-7", New: "Harbour-lights-42", Confirm: "Harbour-lights-42"})
	fmt.Println(err)

	err = svc.ChangePassword(ctx, "bob", profile.PasswordChange{Current: "x", New: "Harbour-lights-42", Confirm: "Harbour-lights-42"})
	fmt.Println(err)
	// Output:
	// true
	// <nil>
	// Your account uses Single Sign On (SSO). Password is managed by your organization.
}
