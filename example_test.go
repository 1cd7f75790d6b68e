package profile_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

func ExampleNew() {
	policy := profile.DefaultPolicy()
	policy.Features.APIToken = true // the admin enables the API Token tab
	policy.Password.MinLength = 12

	svc, err := profile.New(profile.Config{
		Store:  memory.New(),
		Policy: &policy,
		Attributes: []profile.AttributeSpec{
			{Name: "department", Label: "Department", Options: []string{"Sales", "R&D"}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleService_UpdateProfile() {
	ctx := context.Background()
	svc, _ := profile.New(profile.Config{Store: memory.New()})
	_ = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", LastName: "Martin"})

	page, _ := svc.Page(ctx, "alice")
	last := "Durand"
	view, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{LastName: &last, Version: page.PersonalInfo.Version})
	fmt.Println(view.Profile.FirstName, view.Profile.LastName, view.Version, err)

	// The same form, submitted again from a stale tab, is refused.
	first := "Alicia"
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: &first, Version: page.PersonalInfo.Version})
	fmt.Println(errors.Is(err, profile.ErrConflict))

	// Every broken rule is reported at once.
	bad := "not an email"
	long := "Alice\nMartin"
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Email: &bad, FirstName: &long})
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		for _, v := range ve.Violations {
			fmt.Printf("%s: %s (%s)\n", v.Field, v.Message, v.Rule)
		}
	}
	// Output:
	// Alice Durand 2 <nil>
	// true
	// first_name: This text must not contain control characters or line breaks. (control_chars)
	// email: Enter one valid email address, such as name@example.com. (invalid_email)
}

func ExampleService_Page() {
	ctx := context.Background()
	sso := profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
		return profile.Identity{SSO: userID == "bob", Provider: "Okta", Managed: []string{profile.FieldEmail}}, nil
	})
	svc, _ := profile.New(profile.Config{Store: memory.New(), Identity: sso})
	_ = svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob", Email: "bob@corp.example"})

	page, _ := svc.Page(ctx, "bob")
	fmt.Println(page.Tabs)
	fmt.Println("read-only:", page.PersonalInfo.ReadOnly)
	fmt.Println("can change password:", page.Password.CanChange)
	fmt.Println(page.Password.Message)
	// Output:
	// [personal_info preferences password]
	// read-only: [email]
	// can change password: false
	// Your account uses Single Sign On (SSO). Password is managed by your organization.
}
