package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/profilekit/profile"
)

// pageJSON is the body of GET /page.
type pageJSON struct {
	UserID       string            `json:"user_id"`
	Language     string            `json:"language"`
	Tabs         []profile.Tab     `json:"tabs"`
	PersonalInfo *profileJSON      `json:"personal_info,omitempty"`
	Preferences  *preferencesJSON  `json:"preferences,omitempty"`
	Password     *passwordJSON     `json:"password,omitempty"`
	APIToken     *tokenViewJSON    `json:"api_token,omitempty"`
	Labels       map[string]string `json:"labels"`
}

// profileJSON is the Personal Information Details tab.
type profileJSON struct {
	Profile    profile.Profile `json:"profile"`
	Version    int64           `json:"version"`
	ReadOnly   []string        `json:"read_only"`
	Attributes []attributeJSON `json:"attributes,omitempty"`
}

type attributeJSON struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Required bool     `json:"required,omitempty"`
	MaxLen   int      `json:"max_len,omitempty"`
	Options  []string `json:"options,omitempty"`
}

type preferencesJSON struct {
	Language string `json:"language"`
}

type passwordJSON struct {
	CanChange bool     `json:"can_change"`
	SSO       bool     `json:"sso"`
	Provider  string   `json:"provider,omitempty"`
	Message   string   `json:"message,omitempty"`
	Rules     []string `json:"rules"`
}

type tokenViewJSON struct {
	HasToken    bool       `json:"has_token"`
	Retrievable bool       `json:"retrievable"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
}

func toProfileJSON(v profile.PersonalInfoView) *profileJSON {
	out := &profileJSON{Profile: v.Profile, Version: v.Version, ReadOnly: v.ReadOnly}
	if out.ReadOnly == nil {
		out.ReadOnly = []string{}
	}
	for _, a := range v.Attributes {
		out.Attributes = append(out.Attributes, attributeJSON{Name: a.Name, Label: a.Label, Required: a.Required, MaxLen: a.MaxLen, Options: a.Options})
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// getPage serves GET /page.
func (h *handler) getPage(w http.ResponseWriter, r *http.Request, userID string) error {
	pg, err := h.svc.Page(r.Context(), userID)
	if err != nil {
		return err
	}
	out := pageJSON{UserID: pg.UserID, Language: pg.Language, Tabs: pg.Tabs, Labels: h.svc.Labels(pg.Language)}
	if out.Tabs == nil {
		out.Tabs = []profile.Tab{}
	}
	if v := pg.PersonalInfo; v != nil {
		out.PersonalInfo = toProfileJSON(*v)
	}
	if v := pg.Preferences; v != nil {
		out.Preferences = &preferencesJSON{Language: v.Language}
	}
	if v := pg.Password; v != nil {
		out.Password = &passwordJSON{CanChange: v.CanChange, SSO: v.SSO, Provider: v.Provider, Message: v.Message, Rules: v.Rules}
		if out.Password.Rules == nil {
			out.Password.Rules = []string{}
		}
	}
	if v := pg.APIToken; v != nil {
		out.APIToken = &tokenViewJSON{HasToken: v.HasToken, Retrievable: v.Retrievable, CreatedAt: timePtr(v.CreatedAt), ExpiresAt: timePtr(v.ExpiresAt)}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// etag formats a profile version as a strong entity tag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// getProfile serves GET /profile.
func (h *handler) getProfile(w http.ResponseWriter, r *http.Request, userID string) error {
	v, err := h.svc.GetProfile(r.Context(), userID)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(v.Version))
	writeJSON(w, http.StatusOK, toProfileJSON(v))
	return nil
}

// profilePatch is the body of PATCH /profile: only the fields present
// change. Version is the profile version the form was built from.
type profilePatch struct {
	FirstName  *string           `json:"first_name"`
	LastName   *string           `json:"last_name"`
	Email      *string           `json:"email"`
	Username   *string           `json:"username"`
	Attributes map[string]string `json:"attributes"`
	Version    *int64            `json:"version"`
}

// patchProfile serves PATCH /profile. The version comes from If-Match
// ("<version>", or * to skip the check) or from the body's "version"; one
// of them is required, and when both are given they must agree.
func (h *handler) patchProfile(w http.ResponseWriter, r *http.Request, userID string) error {
	var p profilePatch
	if err := decode(w, r, &p, false); err != nil {
		return err
	}
	version, err := versionOf(r.Header.Get("If-Match"), p.Version)
	if err != nil {
		return err
	}
	v, err := h.svc.UpdateProfile(r.Context(), userID, profile.ProfileUpdate{
		FirstName:  p.FirstName,
		LastName:   p.LastName,
		Email:      p.Email,
		Username:   p.Username,
		Attributes: p.Attributes,
		Version:    version,
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(v.Version))
	writeJSON(w, http.StatusOK, toProfileJSON(v))
	return nil
}

// versionOf returns the version to check: 0 only for If-Match: *.
func versionOf(ifMatch string, body *int64) (int64, error) {
	bad := func(msg string) error {
		return &apiError{status: http.StatusBadRequest, code: CodeBadRequest, msg: msg}
	}
	if body != nil && *body < 1 {
		return 0, bad(`"version" must be a positive profile version.`)
	}
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		if body == nil {
			return 0, &apiError{status: http.StatusPreconditionRequired, code: CodePreconditionRequired,
				msg: `Send the profile version you edited, as If-Match: "<version>" or "version" in the body.`}
		}
		return *body, nil
	}
	if ifMatch == "*" {
		if body != nil {
			return *body, nil
		}
		return 0, nil
	}
	if len(ifMatch) < 3 || ifMatch[0] != '"' || ifMatch[len(ifMatch)-1] != '"' {
		return 0, bad(`If-Match must be one strong entity tag such as "3".`)
	}
	n, err := strconv.ParseInt(ifMatch[1:len(ifMatch)-1], 10, 64)
	if err != nil || n < 1 {
		return 0, bad(`If-Match must be one strong entity tag such as "3".`)
	}
	if body != nil && *body != n {
		return 0, bad(`If-Match and "version" disagree.`)
	}
	return n, nil
}

// getLanguages serves GET /languages.
func (h *handler) getLanguages(w http.ResponseWriter, r *http.Request, userID string) error {
	opts, err := h.svc.Languages(r.Context(), userID)
	if err != nil {
		return err
	}
	if opts == nil {
		opts = []profile.LanguageOption{}
	}
	writeJSON(w, http.StatusOK, struct {
		Languages []profile.LanguageOption `json:"languages"`
	}{opts})
	return nil
}

// putLanguage serves PUT /language.
func (h *handler) putLanguage(w http.ResponseWriter, r *http.Request, userID string) error {
	var in struct {
		Language *string `json:"language"`
	}
	if err := decode(w, r, &in, false); err != nil {
		return err
	}
	if in.Language == nil {
		return &apiError{status: http.StatusBadRequest, code: CodeBadRequest, msg: `Send {"language": "<BCP 47 tag>"}.`}
	}
	prefs, err := h.svc.SetLanguage(r.Context(), userID, *in.Language)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Language string `json:"language"`
	}{prefs.Language})
	return nil
}

// postPassword serves POST /password: 204 on success.
func (h *handler) postPassword(w http.ResponseWriter, r *http.Request, userID string) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
		Confirm string `json:"confirm_password"`
	}
	if err := decode(w, r, &in, false); err != nil {
		return err
	}
	if err := h.svc.ChangePassword(r.Context(), userID, profile.PasswordChange{Current: in.Current, New: in.New, Confirm: in.Confirm}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// postPasswordCheck serves POST /password/check: 200 with "valid" and the
// violations of the candidate; nothing changes.
func (h *handler) postPasswordCheck(w http.ResponseWriter, r *http.Request, userID string) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(w, r, &in, false); err != nil {
		return err
	}
	out := struct {
		Valid      bool        `json:"valid"`
		Violations []Violation `json:"violations"`
	}{Valid: true, Violations: []Violation{}}
	if err := h.svc.CheckPassword(r.Context(), userID, in.Password); err != nil {
		var ve *profile.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		out.Valid, out.Violations = false, violations(ve)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// tokenJSON is the body of POST /token/reveal and /token/regenerate: the
// only responses that carry a secret.
type tokenJSON struct {
	Token string `json:"token"`
}

// postTokenReveal serves POST /token/reveal (the copy button).
func (h *handler) postTokenReveal(w http.ResponseWriter, r *http.Request, userID string) error {
	if err := decode(w, r, &struct{}{}, true); err != nil {
		return err
	}
	tok, err := h.svc.RevealToken(r.Context(), userID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tokenJSON{Token: tok.Plaintext()})
	return nil
}

// postTokenRegenerate serves POST /token/regenerate.
func (h *handler) postTokenRegenerate(w http.ResponseWriter, r *http.Request, userID string) error {
	if err := decode(w, r, &struct{}{}, true); err != nil {
		return err
	}
	tok, err := h.svc.RegenerateToken(r.Context(), userID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tokenJSON{Token: tok.Plaintext()})
	return nil
}

// deleteToken serves DELETE /token: 204 on success.
func (h *handler) deleteToken(w http.ResponseWriter, r *http.Request, userID string) error {
	if err := h.svc.RevokeToken(r.Context(), userID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
