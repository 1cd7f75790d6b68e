// Package profile is the back end of a "My Profile" self-service page, to
// embed in any Go application.
//
// # The page
//
// The page has four tabs, each of which the administrator may enable or
// disable (Policy.Features), for everyone or per user or tenant
// (Config.PolicyFor):
//
//   - Personal Information Details: first name, last name, email, username
//     and the host's own attributes. UpdateProfile is a partial update with
//     optimistic concurrency (ProfileUpdate.Version), and fields owned by an
//     SSO identity provider are read-only.
//   - Preferences: the preferred language, a BCP 47 tag matched against the
//     languages the host supports; every message of the library then speaks
//     it. Languages lists the dropdown's options.
//   - Password: ChangePassword takes the current password, the new one and
//     its confirmation, checks the administrator's rules (PasswordPolicy)
//     and reports every broken rule at once. An account that signs in
//     through Single Sign On is refused with SSOMessage.
//   - API Token: RevealToken copies the existing token, RegenerateToken
//     replaces it (the old one stops working at that instant), and
//     Authenticate checks a token on every API request, fast.
//
// Page returns what the page shows one user: the enabled tabs and their
// content, in the user's language.
//
// # Plug points
//
// The host brings two things. A Store keeps one Record per user and updates
// it by compare-and-swap; store/memory is the embedded default,
// store/sqlite and store/postgres persist, and store/storetest is the
// conformance suite a custom Store must pass. An IdentityProvider says how
// each account signs in (nil: every account is local).
//
// # Flow
//
//	svc, err := profile.New(profile.Config{Store: memory.New()})
//	err = svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice"})
//	page, err := svc.Page(ctx, "alice")
//	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{LastName: &last, Version: page.PersonalInfo.Version})
//
// Errors are sentinels compared with errors.Is (ErrConflict,
// ErrFeatureDisabled, ErrSSOManaged, ...) and *ValidationError, found with
// errors.As, holding every Violation. Service.Message turns any of them
// into a sentence for the user. No error, event or String method ever
// carries a password, a hash or a token.
//
// A Service is safe for concurrent use and holds no global state.
package profile
