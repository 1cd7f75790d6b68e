package profile

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Field keys of the Personal Information Details tab, as used in
// Violation.Field and Identity.Managed. A host attribute's key is
// "attributes." followed by its name.
const (
	FieldFirstName = "first_name"
	FieldLastName  = "last_name"
	FieldEmail     = "email"
	FieldUsername  = "username"
)

// Caps on profile fields, in runes after normalisation.
const (
	MaxNameLen      = 100 // first and last name
	MaxUsernameLen  = 64
	MaxEmailLen     = 254 // RFC 5321's path limit, in bytes
	DefaultAttrLen  = 256 // an AttributeSpec without MaxLen
	maxAttrsInInput = 64  // more attributes than this in one update are refused outright
)

// Profile is the Personal Information Details of one user.
type Profile struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	// Username is the name the user signs in with, if the host has one.
	Username string `json:"username,omitempty"`
	// Attributes holds the host-declared extra fields (Config.Attributes).
	Attributes map[string]string `json:"attributes,omitempty"`
}

// AttributeSpec declares one host-specific profile field, such as a phone
// number or a department.
type AttributeSpec struct {
	// Name is the attribute's key: 1 to 64 ASCII letters, digits, '_' or '-'.
	Name string
	// Label is shown on the page; empty means Name.
	Label string
	// Required refuses an empty value.
	Required bool
	// MaxLen caps the value in runes; 0 means DefaultAttrLen.
	MaxLen int
	// Options, when set, lists the only values allowed (a dropdown).
	Options []string
}

// ProfileUpdate is a partial change of the profile: only the non-nil fields
// and the listed attributes change.
type ProfileUpdate struct {
	FirstName *string `json:"first_name,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
	Email     *string `json:"email,omitempty"`
	Username  *string `json:"username,omitempty"`
	// Attributes sets the listed attributes; an empty value clears one.
	Attributes map[string]string `json:"attributes,omitempty"`
	// Version is the profile version the user edited (PersonalInfoView.Version).
	// When it is not the current version UpdateProfile returns ErrConflict
	// and changes nothing, so that no edit is silently lost. Zero skips the
	// check (for host-side scripts, not for forms).
	Version int64 `json:"version,omitempty"`
}

// PersonalInfoView is the Personal Information Details tab of a Page.
type PersonalInfoView struct {
	Profile Profile
	// Version is the profile version to send back in ProfileUpdate.Version.
	Version int64
	// ReadOnly lists the field keys the identity provider manages.
	ReadOnly []string
	// Attributes declares the host's extra fields, in Config order.
	Attributes []AttributeSpec
}

// GetProfile returns the user's profile and its version. It returns
// ErrFeatureDisabled when the Personal Information tab is off for the user
// and ErrNotFound for an unknown user.
func (s *Service) GetProfile(ctx context.Context, userID string) (PersonalInfoView, error) {
	if _, err := s.requireFeature(ctx, userID, featurePersonalInfo); err != nil {
		return PersonalInfoView{}, err
	}
	rec, err := s.store.Get(ctx, userID)
	if err != nil {
		return PersonalInfoView{}, fmt.Errorf("profile: get %q: %w", userID, err)
	}
	ident, err := s.identityOf(ctx, userID)
	if err != nil {
		return PersonalInfoView{}, err
	}
	return s.personalInfoView(&rec, ident), nil
}

// UpdateProfile applies a partial update to the user's profile and returns
// the new profile. Every broken rule is returned at once in a
// *ValidationError, with messages in the user's language; a field managed
// by the identity provider cannot change. A stale u.Version returns
// ErrConflict. It returns ErrFeatureDisabled when the tab is off for the
// user, ErrInvalidUserID for a malformed ID and ErrNotFound for an unknown
// user. On any error nothing changes. Safe for concurrent use.
func (s *Service) UpdateProfile(ctx context.Context, userID string, u ProfileUpdate) (PersonalInfoView, error) {
	if _, err := s.requireFeature(ctx, userID, featurePersonalInfo); err != nil {
		return PersonalInfoView{}, err
	}
	ident, err := s.identityOf(ctx, userID)
	if err != nil {
		return PersonalInfoView{}, err
	}
	var changed []string
	rec, err := s.modify(ctx, userID, func(r *Record) error {
		if u.Version != 0 && u.Version != r.ProfileVersion {
			return fmt.Errorf("profile: update %q: version %d is not the current version: %w", userID, u.Version, ErrConflict)
		}
		next, fields, err := s.applyUpdate(s.lang.userTag(*r), r.Profile, u, ident.Managed)
		if err != nil {
			return err
		}
		if len(fields) == 0 {
			changed = nil
			return errNoChange
		}
		changed = fields
		r.Profile = next
		r.ProfileVersion++
		return nil
	})
	if err != nil {
		return PersonalInfoView{}, err
	}
	if len(changed) > 0 {
		s.emit(ctx, EventProfileUpdated, userID, changed)
	}
	return s.personalInfoView(&rec, ident), nil
}

// personalInfoView builds the tab's view; rec must be the caller's own copy.
func (s *Service) personalInfoView(rec *Record, ident Identity) PersonalInfoView {
	v := PersonalInfoView{Profile: rec.Profile, Version: rec.ProfileVersion}
	if len(s.attrList) > 0 {
		// The caller's own copy: the Service's declarations must not change.
		v.Attributes = slices.Clone(s.attrList)
		for i := range v.Attributes {
			v.Attributes[i].Options = slices.Clone(v.Attributes[i].Options)
		}
	}
	if len(ident.Managed) > 0 {
		v.ReadOnly = slices.Clone(ident.Managed)
	}
	return v
}

// applyUpdate validates u against cur and returns the new profile and the
// changed field keys, or a *ValidationError with every violation.
func (s *Service) applyUpdate(tag language.Tag, cur Profile, u ProfileUpdate, managed []string) (Profile, []string, error) {
	next := cur
	var vs []Violation
	var changed []string
	set := func(field string, val *string, dst *string, check func(string) (string, *Violation)) {
		if val == nil {
			return
		}
		clean, v := check(*val)
		if v != nil {
			v.Field = field
			vs = append(vs, s.localize(tag, *v))
			return
		}
		if clean == *dst {
			return
		}
		if slices.Contains(managed, field) {
			vs = append(vs, s.localize(tag, Violation{Field: field, Rule: "read_only"}))
			return
		}
		*dst = clean
		changed = append(changed, field)
	}
	set(FieldFirstName, u.FirstName, &next.FirstName, nameChecker(MaxNameLen))
	set(FieldLastName, u.LastName, &next.LastName, nameChecker(MaxNameLen))
	set(FieldEmail, u.Email, &next.Email, checkEmail)
	set(FieldUsername, u.Username, &next.Username, nameChecker(MaxUsernameLen))

	if len(u.Attributes) > maxAttrsInInput {
		vs = append(vs, s.localize(tag, Violation{Field: "attributes", Rule: "unknown_attribute"}))
	} else if len(u.Attributes) > 0 {
		names := make([]string, 0, len(u.Attributes))
		for name := range u.Attributes {
			names = append(names, name)
		}
		slices.Sort(names)
		attrs := make(map[string]string, len(cur.Attributes)+len(names))
		for k, v := range cur.Attributes {
			attrs[k] = v
		}
		for _, name := range names {
			field := "attributes." + name
			spec, ok := s.attrs[name]
			if !ok {
				vs = append(vs, s.localize(tag, Violation{Field: safeField(field), Rule: "unknown_attribute"}))
				continue
			}
			clean, v := checkAttribute(spec, u.Attributes[name])
			if v != nil {
				v.Field = field
				vs = append(vs, s.localize(tag, *v))
				continue
			}
			if clean == attrs[name] {
				continue
			}
			if slices.Contains(managed, field) {
				vs = append(vs, s.localize(tag, Violation{Field: field, Rule: "read_only"}))
				continue
			}
			if clean == "" {
				delete(attrs, name)
			} else {
				attrs[name] = clean
			}
			changed = append(changed, field)
		}
		if len(attrs) == 0 {
			attrs = nil
		}
		next.Attributes = attrs
	}
	if err := newValidationError(vs); err != nil {
		return cur, nil, err
	}
	return next, changed, nil
}

// validateProfile checks a whole profile (CreateUser), ignoring Managed.
func (s *Service) validateProfile(tag language.Tag, p Profile) (Profile, []Violation) {
	u := ProfileUpdate{FirstName: &p.FirstName, LastName: &p.LastName, Email: &p.Email, Username: &p.Username, Attributes: p.Attributes}
	next, _, err := s.applyUpdate(tag, Profile{}, u, nil)
	var vs []Violation
	if ve, ok := err.(*ValidationError); ok {
		vs = ve.Violations
	}
	// Required attributes must be present on creation.
	for _, spec := range s.attrList {
		if spec.Required && next.Attributes[spec.Name] == "" && !hasViolation(vs, "attributes."+spec.Name) {
			vs = append(vs, s.localize(tag, Violation{Field: "attributes." + spec.Name, Rule: "required"}))
		}
	}
	return next, vs
}

func hasViolation(vs []Violation, field string) bool {
	for _, v := range vs {
		if v.Field == field {
			return true
		}
	}
	return false
}

// safeField keeps an attacker-chosen attribute name printable and short in
// a violation.
func safeField(f string) string {
	if !utf8.ValidString(f) || len(f) > 80 {
		return "attributes.?"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, f)
}

// cleanText normalises free text: valid UTF-8 required, NFC, trimmed, no
// control characters, at most max runes.
func cleanText(in string, max int) (string, *Violation) {
	if len(in) > 4*max+64 { // cheap cap before any normalisation work
		return "", &Violation{Rule: "too_long", Params: map[string]any{"max": max}}
	}
	if !utf8.ValidString(in) {
		return "", &Violation{Rule: "invalid_utf8"}
	}
	out := strings.TrimSpace(norm.NFC.String(in))
	for _, r := range out {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "", &Violation{Rule: "control_chars"}
		}
	}
	if utf8.RuneCountInString(out) > max {
		return "", &Violation{Rule: "too_long", Params: map[string]any{"max": max}}
	}
	return out, nil
}

func nameChecker(max int) func(string) (string, *Violation) {
	return func(in string) (string, *Violation) { return cleanText(in, max) }
}

// checkEmail accepts one bare address (no display name, no list), or empty.
func checkEmail(in string) (string, *Violation) {
	out, v := cleanText(in, MaxEmailLen)
	if v != nil {
		return "", v
	}
	if out == "" {
		return "", nil
	}
	if len(out) > MaxEmailLen {
		return "", &Violation{Rule: "too_long", Params: map[string]any{"max": MaxEmailLen}}
	}
	a, err := mail.ParseAddress(out)
	if err != nil || a.Name != "" || a.Address != out || !strings.Contains(out[strings.LastIndexByte(out, '@')+1:], ".") {
		return "", &Violation{Rule: "invalid_email"}
	}
	return out, nil
}

func checkAttribute(spec AttributeSpec, in string) (string, *Violation) {
	out, v := cleanText(in, spec.MaxLen)
	if v != nil {
		return "", v
	}
	if out == "" {
		if spec.Required {
			return "", &Violation{Rule: "required"}
		}
		return "", nil
	}
	if len(spec.Options) > 0 && !slices.Contains(spec.Options, out) {
		return "", &Violation{Rule: "not_an_option", Params: map[string]any{"options": slices.Clone(spec.Options)}}
	}
	return out, nil
}

// initAttributes validates and indexes Config.Attributes.
func (s *Service) initAttributes(specs []AttributeSpec) error {
	s.attrs = make(map[string]AttributeSpec, len(specs))
	for i, a := range specs {
		if !validAttrName(a.Name) {
			return fmt.Errorf("profile: Config.Attributes[%d].Name %q: want 1 to 64 ASCII letters, digits, '_' or '-'", i, a.Name)
		}
		if _, dup := s.attrs[a.Name]; dup {
			return fmt.Errorf("profile: Config.Attributes[%d].Name %q is declared twice", i, a.Name)
		}
		if a.MaxLen < 0 {
			return fmt.Errorf("profile: Config.Attributes[%d].MaxLen is negative", i)
		}
		if a.MaxLen == 0 {
			a.MaxLen = DefaultAttrLen
		}
		if a.Label == "" {
			a.Label = a.Name
		}
		a.Options = slices.Clone(a.Options)
		s.attrs[a.Name] = a
		s.attrList = append(s.attrList, a)
	}
	return nil
}

func validAttrName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// violationKeys maps a profile Rule to its catalog key.
var violationKeys = map[string]string{
	"required":          "violation.required",
	"too_long":          "violation.too_long",
	"invalid_utf8":      "violation.invalid_utf8",
	"control_chars":     "violation.control_chars",
	"invalid_email":     "violation.invalid_email",
	"read_only":         "violation.read_only",
	"unknown_attribute": "violation.unknown_attribute",
	"not_an_option":     "violation.not_an_option",
}

// localize fills v.Message from the catalog in language tag.
func (s *Service) localize(tag language.Tag, v Violation) Violation {
	key := violationKeys[v.Rule]
	if v.Rule == "too_long" {
		v.Message = s.msgs.Sprintf(tag, key, v.Params["max"])
	} else {
		v.Message = s.msgs.Sprintf(tag, key)
	}
	return v
}
