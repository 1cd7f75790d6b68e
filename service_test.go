package profile_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// fastHashing keeps argon2 cheap in tests that are not about hashing.
var fastHashing = profile.HashingConfig{Memory: 64, Time: 1, Threads: 1}

// recorder collects events.
type recorder struct {
	mu     sync.Mutex
	events []profile.Event
}

func (r *recorder) hook(_ context.Context, e profile.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) kinds() []profile.EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []profile.EventKind
	for _, e := range r.events {
		out = append(out, e.Kind)
	}
	return out
}

// newService returns a Service over a fresh memory store with every feature
// on, the store, and an event recorder.
func newService(t *testing.T, mutate ...func(*profile.Config)) (*profile.Service, *memory.Store, *recorder) {
	t.Helper()
	st := memory.New()
	rec := &recorder{}
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	cfg := profile.Config{Store: st, Policy: &pol, Hashing: fastHashing, Events: rec.hook}
	for _, m := range mutate {
		m(&cfg)
	}
	svc, err := profile.New(cfg)
	require.NoError(t, err)
	return svc, st, rec
}

func ptr(s string) *string { return &s }

func createAlice(t *testing.T, svc *profile.Service) {
	t.Helper()
	require.NoError(t, svc.CreateUser(context.Background(), "alice",
		profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com", Username: "alice"}))
}

func TestNew_RequiresStore(t *testing.T) {
	_, err := profile.New(profile.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Config.Store")
}

func TestNew_RejectsInvalidConfig(t *testing.T) {
	st := memory.New()
	cases := map[string]struct {
		cfg  profile.Config
		want string
	}{
		"min above max":            {profile.Config{Store: st, Policy: &profile.Policy{Password: profile.PasswordPolicy{MinLength: 20, MaxLength: 10}}}, "MaxLength"},
		"class minimums above max": {profile.Config{Store: st, Policy: &profile.Policy{Password: profile.PasswordPolicy{MaxLength: 8, MinUpper: 4, MinDigit: 5}}}, "minimums"},
		"negative TTL":             {profile.Config{Store: st, Policy: &profile.Policy{Token: profile.TokenPolicy{TTL: -time.Second}}}, "TTL"},
		"bad attribute name":       {profile.Config{Store: st, Attributes: []profile.AttributeSpec{{Name: "has space"}}}, "Config.Attributes[0].Name"},
		"duplicate attribute":      {profile.Config{Store: st, Attributes: []profile.AttributeSpec{{Name: "a"}, {Name: "a"}}}, "twice"},
		"negative attribute len":   {profile.Config{Store: st, Attributes: []profile.AttributeSpec{{Name: "a", MaxLen: -1}}}, "MaxLen"},
		"unparsable language":      {profile.Config{Store: st, Languages: []string{"en", "not a tag!"}}, "Config.Languages"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := profile.New(tc.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNew_ZeroConfigButStoreWorks(t *testing.T) {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	require.NoError(t, err)
	createAlice(t, svc)
	page, err := svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, []profile.Tab{profile.TabPersonalInfo, profile.TabPreferences, profile.TabPassword}, page.Tabs,
		"the default policy shows three tabs and leaves the API token off")
	assert.Nil(t, page.APIToken)
}

func TestCreateUser_DuplicateIsErrExists(t *testing.T) {
	svc, _, _ := newService(t)
	createAlice(t, svc)
	err := svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Other"})
	assert.ErrorIs(t, err, profile.ErrExists)
	view, err := svc.GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "Alice", view.Profile.FirstName)
}

func TestCreateUser_ValidatesLikeAnUpdate(t *testing.T) {
	svc, st, _ := newService(t)
	err := svc.CreateUser(context.Background(), "bad", profile.Profile{FirstName: strings.Repeat("x", 101), Email: "nope"})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has(profile.FieldFirstName, "too_long"))
	assert.True(t, ve.Has(profile.FieldEmail, "invalid_email"))
	assert.Equal(t, 0, st.Len(), "nothing stored")
}

func TestCreateUser_RequiredAttributeMustBeGiven(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.Attributes = []profile.AttributeSpec{{Name: "department", Required: true}}
	})
	err := svc.CreateUser(context.Background(), "u", profile.Profile{FirstName: "U"})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("attributes.department", "required"))
	require.NoError(t, svc.CreateUser(context.Background(), "u", profile.Profile{Attributes: map[string]string{"department": "R&D"}}))
}

func TestUserID_InvalidIsRefusedEverywhere(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	for name, id := range map[string]string{
		"empty":        "",
		"too long":     strings.Repeat("a", 257),
		"invalid utf8": "\xff\xfe",
		"control":      "ali\nce",
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, svc.CreateUser(ctx, id, profile.Profile{}), profile.ErrInvalidUserID)
			assert.ErrorIs(t, svc.DeleteUser(ctx, id), profile.ErrInvalidUserID)
			_, err := svc.Page(ctx, id)
			assert.ErrorIs(t, err, profile.ErrInvalidUserID)
			_, err = svc.GetProfile(ctx, id)
			assert.ErrorIs(t, err, profile.ErrInvalidUserID)
			_, err = svc.UpdateProfile(ctx, id, profile.ProfileUpdate{FirstName: ptr("x")})
			assert.ErrorIs(t, err, profile.ErrInvalidUserID)
		})
	}
	assert.Equal(t, 0, st.Len())
}

func TestDeleteUser_RemovesRecord(t *testing.T) {
	svc, _, rec := newService(t)
	ctx := context.Background()
	createAlice(t, svc)
	require.NoError(t, svc.DeleteUser(ctx, "alice"))
	_, err := svc.Page(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	assert.ErrorIs(t, svc.DeleteUser(ctx, "alice"), profile.ErrNotFound)
	assert.Equal(t, []profile.EventKind{profile.EventUserCreated, profile.EventUserDeleted}, rec.kinds())
}

func TestPage_ShowsEnabledTabsInOrder(t *testing.T) {
	cases := map[string]struct {
		features profile.Features
		tabs     []profile.Tab
	}{
		"all":          {profile.AllFeatures(), []profile.Tab{profile.TabPersonalInfo, profile.TabPreferences, profile.TabPassword, profile.TabAPIToken}},
		"default":      {profile.DefaultPolicy().Features, []profile.Tab{profile.TabPersonalInfo, profile.TabPreferences, profile.TabPassword}},
		"token only":   {profile.Features{APIToken: true}, []profile.Tab{profile.TabAPIToken}},
		"info + token": {profile.Features{PersonalInfo: true, APIToken: true}, []profile.Tab{profile.TabPersonalInfo, profile.TabAPIToken}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			svc, _, _ := newService(t, func(c *profile.Config) { c.Policy = &profile.Policy{Features: tc.features} })
			createAlice(t, svc)
			page, err := svc.Page(context.Background(), "alice")
			require.NoError(t, err)
			assert.Equal(t, tc.tabs, page.Tabs)
			assert.Equal(t, tc.features.PersonalInfo, page.PersonalInfo != nil)
			assert.Equal(t, tc.features.Preferences, page.Preferences != nil)
			assert.Equal(t, tc.features.Password, page.Password != nil)
			assert.Equal(t, tc.features.APIToken, page.APIToken != nil)
		})
	}
}

func TestPage_EverythingDisabledIsUnavailable(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) { c.Policy = &profile.Policy{} })
	createAlice(t, svc)
	_, err := svc.Page(context.Background(), "alice")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)
}

func TestPage_SSOAccountSeesTheSentenceAndReadOnlyFields(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.Identity = profile.IdentityFunc(func(_ context.Context, id string) (profile.Identity, error) {
			return profile.Identity{SSO: true, Provider: "Okta", Managed: []string{profile.FieldEmail, profile.FieldLastName}}, nil
		})
	})
	createAlice(t, svc)
	page, err := svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	require.NotNil(t, page.Password)
	assert.False(t, page.Password.CanChange)
	assert.True(t, page.Password.SSO)
	assert.Equal(t, "Okta", page.Password.Provider)
	assert.Equal(t, "Your account uses Single Sign On (SSO). Password is managed by your organization.", page.Password.Message)
	assert.Equal(t, []string{profile.FieldEmail, profile.FieldLastName}, page.PersonalInfo.ReadOnly)
}

func TestPage_PerUserPolicy(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.PolicyFor = func(_ context.Context, userID string) (profile.Policy, error) {
			p := profile.DefaultPolicy()
			if userID == "admin-enabled" {
				p.Features.APIToken = true
			}
			return p, nil
		}
	})
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "admin-enabled", profile.Profile{}))
	require.NoError(t, svc.CreateUser(ctx, "plain", profile.Profile{}))
	a, err := svc.Page(ctx, "admin-enabled")
	require.NoError(t, err)
	b, err := svc.Page(ctx, "plain")
	require.NoError(t, err)
	assert.Contains(t, a.Tabs, profile.TabAPIToken)
	assert.NotContains(t, b.Tabs, profile.TabAPIToken)
}

func TestPolicyFor_ErrorsAndInvalidPoliciesAbort(t *testing.T) {
	boom := errors.New("tenant directory down")
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.PolicyFor = func(_ context.Context, userID string) (profile.Policy, error) {
			if userID == "broken" {
				return profile.Policy{}, boom
			}
			return profile.Policy{Features: profile.AllFeatures(), Password: profile.PasswordPolicy{MinLength: 9, MaxLength: 3}}, nil
		}
	})
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "broken", profile.Profile{}))
	require.NoError(t, svc.CreateUser(ctx, "invalid", profile.Profile{}))
	_, err := svc.Page(ctx, "broken")
	assert.ErrorIs(t, err, boom)
	_, err = svc.UpdateProfile(ctx, "invalid", profile.ProfileUpdate{FirstName: ptr("x")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxLength")
}

func TestIdentityProviderErrorAborts(t *testing.T) {
	boom := errors.New("idp down")
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.Identity = profile.IdentityFunc(func(context.Context, string) (profile.Identity, error) { return profile.Identity{}, boom })
	})
	createAlice(t, svc)
	_, err := svc.UpdateProfile(context.Background(), "alice", profile.ProfileUpdate{FirstName: ptr("Al")})
	assert.ErrorIs(t, err, boom)
	view, err := svc.Page(context.Background(), "alice")
	assert.ErrorIs(t, err, boom)
	assert.Empty(t, view.Tabs)
}

func TestFeatureDisabled_PersonalInfoOperations(t *testing.T) {
	pol := profile.AllFeatures()
	pol.PersonalInfo = false
	svc, st, rec := newService(t, func(c *profile.Config) { c.Policy = &profile.Policy{Features: pol} })
	createAlice(t, svc)
	ctx := context.Background()
	_, err := svc.GetProfile(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: ptr("Changed")})
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled)
	r, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "Alice", r.Profile.FirstName)
	assert.Equal(t, int64(1), r.Revision, "nothing written")
	assert.Equal(t, []profile.EventKind{profile.EventUserCreated}, rec.kinds())
}

func TestMessage_LocalisesSentinelsAndHidesInternals(t *testing.T) {
	svc, _, _ := newService(t)
	assert.Equal(t, profile.SSOMessage, svc.Message("en", profile.ErrSSOManaged))
	wrapped := errors.Join(errors.New("pq: connection refused at 10.0.0.3"), profile.ErrConflict)
	assert.Equal(t, "Your profile was changed elsewhere. Reload the page and try again.", svc.Message("", wrapped))
	internal := svc.Message("en", errors.New("pq: password authentication failed for user secret"))
	assert.NotContains(t, internal, "secret")
	assert.Equal(t, "Something went wrong on our side. Please try again later.", internal)
	ve := &profile.ValidationError{Violations: []profile.Violation{{Field: "confirm_password", Rule: "mismatch", Err: profile.ErrPasswordMismatch}}}
	assert.Equal(t, "Some fields need your attention.", svc.Message("en", ve))
}

func TestLabels_HaveEveryTab(t *testing.T) {
	svc, _, _ := newService(t)
	l := svc.Labels("en")
	assert.Equal(t, "Personal Information Details", l["ui.tab.personal_info"])
	assert.Equal(t, "API Token", l["ui.tab.api_token"])
	assert.Equal(t, "My Profile", l["ui.title"])
	l["ui.title"] = "changed"
	assert.Equal(t, "My Profile", svc.Labels("en")["ui.title"], "each call returns a fresh map")
}

func TestErrSSOManaged_IsExactlyTheSentence(t *testing.T) {
	assert.Equal(t, "Your account uses Single Sign On (SSO). Password is managed by your organization.", profile.ErrSSOManaged.Error())
}

func TestValidationError_ReachesViolationsAndSentinels(t *testing.T) {
	ve := &profile.ValidationError{Violations: []profile.Violation{
		{Field: "new_password", Rule: "too_short", Message: "Use at least 8 characters."},
		{Field: "confirm", Rule: "mismatch", Message: "no match", Err: profile.ErrPasswordMismatch},
	}}
	err := errors.Join(errors.New("context"), ve)
	assert.ErrorIs(t, err, profile.ErrPasswordMismatch)
	var got *profile.ValidationError
	require.ErrorAs(t, err, &got)
	assert.Len(t, got.Violations, 2)
	var v profile.Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "too_short", v.Rule)
	assert.Contains(t, ve.Error(), "2 invalid input(s)")
	assert.Contains(t, ve.Error(), "new_password: Use at least 8 characters.")
	assert.True(t, ve.Has("", "mismatch"))
	assert.False(t, ve.Has("email", "mismatch"))
}

func TestValidationError_WithoutViolationsDoesNotPanic(t *testing.T) {
	assert.Equal(t, "profile: invalid input", (&profile.ValidationError{}).Error())
}
