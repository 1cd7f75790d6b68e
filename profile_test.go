package profile_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

func TestUpdateProfile_PartialUpdateChangesOnlyGivenFields(t *testing.T) {
	svc, _, rec := newService(t)
	createAlice(t, svc)
	view, err := svc.UpdateProfile(context.Background(), "alice", profile.ProfileUpdate{LastName: ptr("Durand")})
	require.NoError(t, err)
	assert.Equal(t, profile.Profile{FirstName: "Alice", LastName: "Durand", Email: "alice@example.com", Username: "alice"}, view.Profile)
	assert.Equal(t, int64(2), view.Version)
	require.Len(t, rec.events, 2)
	assert.Equal(t, profile.EventProfileUpdated, rec.events[1].Kind)
	assert.Equal(t, []string{profile.FieldLastName}, rec.events[1].Fields)
}

func TestUpdateProfile_StaleVersionIsConflictAndChangesNothing(t *testing.T) {
	svc, st, _ := newService(t)
	createAlice(t, svc)
	ctx := context.Background()
	v1, err := svc.GetProfile(ctx, "alice")
	require.NoError(t, err)
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: ptr("First"), Version: v1.Version})
	require.NoError(t, err)
	before, err := st.Get(ctx, "alice")
	require.NoError(t, err)

	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: ptr("Second"), Version: v1.Version})
	assert.ErrorIs(t, err, profile.ErrConflict)
	after, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "First", after.Profile.FirstName)
	assert.Equal(t, before.Revision, after.Revision, "nothing written")
}

func TestUpdateProfile_VersionSurvivesUnrelatedWrites(t *testing.T) {
	svc, st, _ := newService(t)
	createAlice(t, svc)
	ctx := context.Background()
	v, err := svc.GetProfile(ctx, "alice")
	require.NoError(t, err)
	// Another part of the record changes (as a token regeneration would).
	r, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	r.Preferences.Language = "de"
	_, err = st.Update(ctx, r)
	require.NoError(t, err)

	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: ptr("Alicia"), Version: v.Version})
	require.NoError(t, err, "the form's version is the profile's, not the record's")
}

func TestUpdateProfile_AllViolationsAtOnce(t *testing.T) {
	svc, st, _ := newService(t, func(c *profile.Config) {
		c.Attributes = []profile.AttributeSpec{{Name: "phone", MaxLen: 5}, {Name: "team", Options: []string{"red", "blue"}}}
	})
	createAlice(t, svc)
	ctx := context.Background()
	_, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{
		FirstName:  ptr(strings.Repeat("é", profile.MaxNameLen+1)),
		LastName:   ptr("bad\x07bell"),
		Email:      ptr("Alice <alice@example.com>"),
		Username:   ptr("\xff"),
		Attributes: map[string]string{"phone": "123456", "team": "green", "isAdmin": "true"},
	})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	got := map[string]string{}
	for _, v := range ve.Violations {
		got[v.Field] = v.Rule
		assert.NotEmpty(t, v.Message, "%s has a message", v.Field)
	}
	assert.Equal(t, map[string]string{
		profile.FieldFirstName: "too_long",
		profile.FieldLastName:  "control_chars",
		profile.FieldEmail:     "invalid_email",
		profile.FieldUsername:  "invalid_utf8",
		"attributes.phone":     "too_long",
		"attributes.team":      "not_an_option",
		"attributes.isAdmin":   "unknown_attribute",
	}, got)
	r, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.Revision, "nothing written")
}

func TestUpdateProfile_TooLongCarriesItsLimit(t *testing.T) {
	svc, _, _ := newService(t)
	createAlice(t, svc)
	_, err := svc.UpdateProfile(context.Background(), "alice", profile.ProfileUpdate{FirstName: ptr(strings.Repeat("x", 101))})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Violations, 1)
	assert.Equal(t, 100, ve.Violations[0].Params["max"])
	assert.Equal(t, "Use at most 100 characters.", ve.Violations[0].Message)
}

func TestUpdateProfile_NormalisesText(t *testing.T) {
	svc, _, _ := newService(t)
	createAlice(t, svc)
	// "e" + combining acute becomes the precomposed é, and spaces are trimmed.
	view, err := svc.UpdateProfile(context.Background(), "alice", profile.ProfileUpdate{FirstName: ptr("  Rene\u0301e \t"), Email: ptr(" renee@example.org ")})
	require.NoError(t, err)
	assert.Equal(t, "Ren\u00e9e", view.Profile.FirstName)
	assert.Equal(t, "renee@example.org", view.Profile.Email)
}

func TestUpdateProfile_EmailRules(t *testing.T) {
	cases := map[string]bool{
		"a@example.com":                  true,
		"first.last+tag@sub.example.org": true,
		"":                               true, // clearing is allowed
		"no-at-sign":                     false,
		"two@example.com, b@example.com": false,
		"Name <n@example.com>":           false,
		"n@localhost":                    false,
		"n@exa mple.com":                 false,
		strings.Repeat("a", 250) + "@example.com": false,
	}
	for in, ok := range cases {
		t.Run(fmt.Sprintf("%.30q", in), func(t *testing.T) {
			svc, _, _ := newService(t)
			createAlice(t, svc)
			_, err := svc.UpdateProfile(context.Background(), "alice", profile.ProfileUpdate{Email: ptr(in)})
			if ok {
				assert.NoError(t, err)
				return
			}
			var ve *profile.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, profile.FieldEmail, ve.Violations[0].Field)
		})
	}
}

func TestUpdateProfile_ManagedFieldIsReadOnly(t *testing.T) {
	svc, st, _ := newService(t, func(c *profile.Config) {
		c.Attributes = []profile.AttributeSpec{{Name: "department"}}
		c.Identity = profile.IdentityFunc(func(context.Context, string) (profile.Identity, error) {
			return profile.Identity{SSO: true, Managed: []string{profile.FieldEmail, "attributes.department"}}, nil
		})
	})
	createAlice(t, svc)
	ctx := context.Background()
	_, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Email: ptr("new@example.com"), Attributes: map[string]string{"department": "Sales"}})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has(profile.FieldEmail, "read_only"))
	assert.True(t, ve.Has("attributes.department", "read_only"))
	assert.Equal(t, "This field is managed by your organization and cannot be changed here.", ve.Violations[0].Message)
	r, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "alice@example.com", r.Profile.Email)

	// Posting the unchanged value of a managed field, as a full form does, is fine.
	view, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Email: ptr("alice@example.com"), FirstName: ptr("Ally")})
	require.NoError(t, err)
	assert.Equal(t, "Ally", view.Profile.FirstName)
}

func TestUpdateProfile_AttributesSetAndClear(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.Attributes = []profile.AttributeSpec{{Name: "phone"}, {Name: "team", Required: true}}
	})
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "u", profile.Profile{Attributes: map[string]string{"team": "red"}}))
	view, err := svc.UpdateProfile(ctx, "u", profile.ProfileUpdate{Attributes: map[string]string{"phone": "+1 555"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "red", "phone": "+1 555"}, view.Profile.Attributes)
	view, err = svc.UpdateProfile(ctx, "u", profile.ProfileUpdate{Attributes: map[string]string{"phone": ""}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "red"}, view.Profile.Attributes)
	_, err = svc.UpdateProfile(ctx, "u", profile.ProfileUpdate{Attributes: map[string]string{"team": " "}})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("attributes.team", "required"))
}

func TestUpdateProfile_NoChangeWritesNothing(t *testing.T) {
	svc, st, rec := newService(t)
	createAlice(t, svc)
	ctx := context.Background()
	view, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: ptr("Alice"), Version: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(1), view.Version)
	r, err := st.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.Revision)
	assert.Equal(t, []profile.EventKind{profile.EventUserCreated}, rec.kinds())
}

func TestUpdateProfile_HostileInputNeverPanics(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) { c.Attributes = []profile.AttributeSpec{{Name: "a"}} })
	createAlice(t, svc)
	ctx := context.Background()
	huge := strings.Repeat("x", 10<<20)
	many := map[string]string{}
	for i := 0; i < 10000; i++ {
		many[fmt.Sprint("k", i)] = "v"
	}
	inputs := []profile.ProfileUpdate{
		{},
		{FirstName: ptr(""), LastName: ptr(""), Email: ptr(""), Username: ptr("")},
		{FirstName: &huge, Email: &huge, Attributes: map[string]string{"a": huge}},
		{Attributes: many},
		{Attributes: map[string]string{"\xff\x00" + huge: "x"}},
		{FirstName: ptr("\u2028"), Email: ptr("@"), Version: -1},
	}
	for i, in := range inputs {
		assert.NotPanics(t, func() { _, _ = svc.UpdateProfile(ctx, "alice", in) }, "input %d", i)
	}
	_, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Attributes: many})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Violations, 1, "a flood of attributes is one violation, not ten thousand")
	_, err = svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Attributes: map[string]string{"\xff\x00" + huge: "x"}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "attributes.?", ve.Violations[0].Field, "hostile attribute names are not echoed")
}

func TestUpdateProfile_ConcurrentEditsLoseNothing(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		for i := 0; i < 16; i++ {
			c.Attributes = append(c.Attributes, profile.AttributeSpec{Name: fmt.Sprint("a", i)})
		}
	})
	createAlice(t, svc)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{Attributes: map[string]string{fmt.Sprint("a", i): "set"}})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	view, err := svc.GetProfile(ctx, "alice")
	require.NoError(t, err)
	assert.Len(t, view.Profile.Attributes, 16, "every concurrent edit is kept")
	assert.Equal(t, int64(17), view.Version)
}

func TestUpdateProfile_UnknownUserIsNotFound(t *testing.T) {
	svc, _, _ := newService(t)
	_, err := svc.UpdateProfile(context.Background(), "ghost", profile.ProfileUpdate{FirstName: ptr("x")})
	assert.ErrorIs(t, err, profile.ErrNotFound)
}

func TestGetProfile_DoesNotAlias(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) { c.Attributes = []profile.AttributeSpec{{Name: "a"}} })
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "u", profile.Profile{Attributes: map[string]string{"a": "1"}}))
	v, err := svc.GetProfile(ctx, "u")
	require.NoError(t, err)
	v.Profile.Attributes["a"] = "changed"
	again, err := svc.GetProfile(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, "1", again.Profile.Attributes["a"])
}

func TestGetProfile_AttributeDeclarationsAreTheCallers(t *testing.T) {
	svc, _, _ := newService(t, func(c *profile.Config) {
		c.Attributes = []profile.AttributeSpec{{Name: "dept", Options: []string{"Sales", "R&D"}}}
	})
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "u", profile.Profile{}))
	v, err := svc.GetProfile(ctx, "u")
	require.NoError(t, err)
	v.Attributes[0].Options[0] = "Evil"
	v.Attributes[0].Required = true

	again, err := svc.GetProfile(ctx, "u")
	require.NoError(t, err)
	assert.Equal(t, []string{"Sales", "R&D"}, again.Attributes[0].Options)
	assert.False(t, again.Attributes[0].Required)
	_, err = svc.UpdateProfile(ctx, "u", profile.ProfileUpdate{Attributes: map[string]string{"dept": "Evil"}})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve, "changing a returned view must not change validation")
	assert.True(t, ve.Has("attributes.dept", "not_an_option"))
}
