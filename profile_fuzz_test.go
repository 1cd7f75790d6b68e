package profile_test

import (
	"context"
	"errors"
	"net/mail"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// fuzzAttrs are the attributes FuzzUpdateProfile's Service declares: a
// free-text one, a short one, a dropdown and a required one.
var fuzzAttrs = []profile.AttributeSpec{
	{Name: "phone", MaxLen: 20},
	{Name: "bio"},
	{Name: "team", Options: []string{"Sales", "R&D", "Ops"}},
	{Name: "office", Required: true},
}

// fuzzCaps is the cap, in runes, of each field FuzzUpdateProfile checks.
func fuzzCap(field string) int {
	switch field {
	case profile.FieldFirstName, profile.FieldLastName:
		return profile.MaxNameLen
	case profile.FieldUsername:
		return profile.MaxUsernameLen
	case profile.FieldEmail:
		return profile.MaxEmailLen
	case "attributes.phone":
		return 20
	}
	return profile.DefaultAttrLen
}

// checkStoredText fails t unless v is a value UpdateProfile may store in
// field: valid UTF-8, NFC, trimmed, without control characters, within
// its cap.
func checkStoredText(t *testing.T, field, v string) {
	t.Helper()
	switch {
	case !utf8.ValidString(v):
		t.Fatalf("%s stored invalid UTF-8 %q", field, v)
	case !norm.NFC.IsNormalString(v):
		t.Fatalf("%s stored non-NFC %q", field, v)
	case strings.TrimSpace(v) != v:
		t.Fatalf("%s stored untrimmed %q", field, v)
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }):
		t.Fatalf("%s stored a control character: %q", field, v)
	case utf8.RuneCountInString(v) > fuzzCap(field):
		t.Fatalf("%s stored %d runes, above %d", field, utf8.RuneCountInString(v), fuzzCap(field))
	}
}

// FuzzUpdateProfile: UpdateProfile never panics on any string in any
// field or attribute (declared or not); on success every stored value is
// valid, normalised and within its cap, the email is one bare address, and
// the returned profile is the stored one; on failure the error is a
// *ValidationError (each violation with a field, a rule and a message)
// and the record is unchanged.
func FuzzUpdateProfile(f *testing.F) {
	seeds := []struct {
		first, last, email, user, attrName, attrVal string
		mask                                        uint8
	}{
		{"Alice", "Martin", "alice@example.com", "alice", "phone", "+33 1 23 45 67 89", 0x1f},
		{"  Zoë  ", "Ǆemal", "zoe@exämple.org", "zoë", "team", "R&D", 0x1f},
		{"e\u0301", "A\u030a", "", "", "bio", "e\u0301\u0301", 0x1f},
		{"\x00", "a\u2028b", "Alice <alice@example.com>", "\xff", "office", "", 0x1f},
		{strings.Repeat("x", 101), strings.Repeat("界", 100), strings.Repeat("a", 250) + "@b.co", strings.Repeat("u", 65), "phone", strings.Repeat("1", 21), 0x1f},
		{"", "", "a@b", "", "attributes.phone", "x", 0x0f},
		{"Bob", "", "bob@example.com, eve@example.com", "", "unknown", "v", 0x15},
		{"\u200b", "\ufeff", "\"a b\"@example.com", " ", "team", "sales", 0x1f},
		{"", "", "", "", "", "", 0},
		{"Al", "M", "al@example.com", "al", "bad name!", "\x7f", 0x3f},
	}
	for _, s := range seeds {
		f.Add(s.first, s.last, s.email, s.user, s.attrName, s.attrVal, s.mask)
	}
	ctx := context.Background()
	st := memory.New()
	svc, err := profile.New(profile.Config{
		Store:      st,
		Attributes: fuzzAttrs,
		Identity: profile.IdentityFunc(func(_ context.Context, id string) (profile.Identity, error) {
			if id == "sso" {
				return profile.Identity{SSO: true, Provider: "Okta", Managed: []string{profile.FieldEmail, "attributes.team"}}, nil
			}
			return profile.Identity{}, nil
		}),
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, id := range []string{"alice", "sso"} {
		p := profile.Profile{FirstName: "Alice", LastName: "Martin", Email: id + "@example.com", Attributes: map[string]string{"office": "Paris", "team": "Ops"}}
		if err := svc.CreateUser(ctx, id, p); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, first, last, email, user, attrName, attrVal string, mask uint8) {
		var u profile.ProfileUpdate
		if mask&1 != 0 {
			u.FirstName = &first
		}
		if mask&2 != 0 {
			u.LastName = &last
		}
		if mask&4 != 0 {
			u.Email = &email
		}
		if mask&8 != 0 {
			u.Username = &user
		}
		if mask&16 != 0 {
			u.Attributes = map[string]string{attrName: attrVal}
		}
		if mask&32 != 0 { // every declared attribute at once
			if u.Attributes == nil {
				u.Attributes = map[string]string{}
			}
			for _, a := range fuzzAttrs {
				if _, set := u.Attributes[a.Name]; !set {
					u.Attributes[a.Name] = attrVal
				}
			}
		}
		id := "alice"
		if mask&64 != 0 {
			id = "sso"
		}
		before, err := st.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		view, err := svc.UpdateProfile(ctx, id, u)
		after, gerr := st.Get(ctx, id)
		if gerr != nil {
			t.Fatal(gerr)
		}
		if err != nil {
			var ve *profile.ValidationError
			if !errors.As(err, &ve) || len(ve.Violations) == 0 {
				t.Fatalf("UpdateProfile(%+v): unexpected error %v", u, err)
			}
			for _, v := range ve.Violations {
				if v.Field == "" || v.Rule == "" || v.Message == "" || !utf8.ValidString(v.Field) ||
					strings.ContainsFunc(v.Field, unicode.IsControl) {
					t.Fatalf("UpdateProfile: malformed violation %+v", v)
				}
			}
			if after.Revision != before.Revision || !reflect.DeepEqual(after.Profile, before.Profile) {
				t.Fatalf("UpdateProfile failed (%v) but changed the record", err)
			}
			return
		}
		p := after.Profile
		if !reflect.DeepEqual(view.Profile, p) || view.Version != after.ProfileVersion {
			t.Fatalf("UpdateProfile returned %+v (v%d), stored %+v (v%d)", view.Profile, view.Version, p, after.ProfileVersion)
		}
		checkStoredText(t, profile.FieldFirstName, p.FirstName)
		checkStoredText(t, profile.FieldLastName, p.LastName)
		checkStoredText(t, profile.FieldEmail, p.Email)
		checkStoredText(t, profile.FieldUsername, p.Username)
		if p.Email != "" {
			if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || a.Name != "" {
				t.Fatalf("stored email %q is not one bare address", p.Email)
			}
		}
		for k, v := range p.Attributes {
			declared := false
			for _, a := range fuzzAttrs {
				declared = declared || a.Name == k
			}
			if !declared || v == "" {
				t.Fatalf("stored attribute %q=%q", k, v)
			}
			checkStoredText(t, "attributes."+k, v)
		}
		if team := p.Attributes["team"]; team != "" && team != "Sales" && team != "R&D" && team != "Ops" {
			t.Fatalf("stored team %q is not an option", team)
		}
		if p.Attributes["office"] == "" {
			t.Fatalf("required attribute office was cleared")
		}
		if id == "sso" && (p.Email != before.Profile.Email || p.Attributes["team"] != before.Profile.Attributes["team"]) {
			t.Fatalf("managed field changed for an SSO account: %+v", p)
		}
		if reflect.DeepEqual(p, before.Profile) != (after.ProfileVersion == before.ProfileVersion) {
			t.Fatalf("version moved %d->%d while the profile changed=%v", before.ProfileVersion, after.ProfileVersion, !reflect.DeepEqual(p, before.Profile))
		}
	})
}
