package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
	"github.com/profilekit/profile/store/memory"
)

type pageBody struct {
	UserID       string   `json:"user_id"`
	Language     string   `json:"language"`
	Tabs         []string `json:"tabs"`
	PersonalInfo *struct {
		Profile  profile.Profile `json:"profile"`
		Version  int64           `json:"version"`
		ReadOnly []string        `json:"read_only"`
	} `json:"personal_info"`
	Preferences *struct {
		Language string `json:"language"`
	} `json:"preferences"`
	Password *struct {
		CanChange bool     `json:"can_change"`
		SSO       bool     `json:"sso"`
		Provider  string   `json:"provider"`
		Message   string   `json:"message"`
		Rules     []string `json:"rules"`
	} `json:"password"`
	APIToken *struct {
		HasToken    bool `json:"has_token"`
		Retrievable bool `json:"retrievable"`
	} `json:"api_token"`
	Labels map[string]string `json:"labels"`
}

func TestGetPage_LocalUserSeesEveryTab(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "alice"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	var pg pageBody
	decodeJSON(t, rec, &pg)
	assert.Equal(t, "alice", pg.UserID)
	assert.Equal(t, []string{"personal_info", "preferences", "password", "api_token"}, pg.Tabs)
	require.NotNil(t, pg.PersonalInfo)
	assert.Equal(t, "Alice", pg.PersonalInfo.Profile.FirstName)
	assert.Equal(t, int64(1), pg.PersonalInfo.Version)
	assert.Empty(t, pg.PersonalInfo.ReadOnly)
	require.NotNil(t, pg.Password)
	assert.True(t, pg.Password.CanChange)
	assert.False(t, pg.Password.SSO)
	require.NotNil(t, pg.APIToken)
	require.NotNil(t, pg.Preferences)
	assert.Equal(t, "Personal Information Details", pg.Labels["ui.tab.personal_info"])
	assert.Equal(t, "API Token", pg.Labels["ui.tab.api_token"])
}

func TestGetPage_SSOUserGetsTheSentenceAndReadOnlyEmail(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "bob"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	var pg pageBody
	decodeJSON(t, rec, &pg)
	require.NotNil(t, pg.Password)
	assert.False(t, pg.Password.CanChange)
	assert.True(t, pg.Password.SSO)
	assert.Equal(t, "Okta", pg.Password.Provider)
	assert.Equal(t, profile.SSOMessage, pg.Password.Message)
	require.NotNil(t, pg.PersonalInfo)
	assert.Equal(t, []string{profile.FieldEmail}, pg.PersonalInfo.ReadOnly)
}

func TestGetPage_DisabledTabIsAbsent(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "carol"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	var pg pageBody
	decodeJSON(t, rec, &pg)
	assert.Equal(t, []string{"personal_info", "preferences", "password"}, pg.Tabs)
	assert.Nil(t, pg.APIToken)
	assert.NotContains(t, rec.Body.String(), `"api_token":`)
}

func TestGetPage_EveryTabDisabledIsFeatureDisabled(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "dora"})
	assert.Equal(t, http.StatusForbidden, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeFeatureDisabled, e.Code)
	assert.Equal(t, "This feature has been disabled by your administrator.", e.Message)
}

func TestGetPage_UnknownUserIsNotFound(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "nobody"})
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, httpapi.CodeNotFound, errorOf(t, rec).Code)
}

func TestEndpoints_WithoutSignedInUserAreUnauthenticated(t *testing.T) {
	f := newFixture(t)
	for _, r := range []req{
		{method: "GET", path: "/page"},
		{method: "GET", path: "/profile"},
		{method: "PATCH", path: "/profile", body: `{"first_name":"X","version":1}`},
		{method: "GET", path: "/languages"},
		{method: "PUT", path: "/language", body: `{"language":"de"}`},
		{method: "POST", path: "/password", body: `{}`},
		{method: "POST", path: "/password/check", body: `{}`},
		{method: "POST", path: "/token/reveal"},
		{method: "POST", path: "/token/regenerate"},
		{method: "DELETE", path: "/token"},
	} {
		t.Run(r.method+r.path, func(t *testing.T) {
			rec := f.do(t, r)
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			assert.Equal(t, httpapi.CodeUnauthenticated, errorOf(t, rec).Code)
		})
	}
	assert.Contains(t, f.logs.String(), "no session", "the host's error is logged")
}

func TestGetProfile_ReturnsProfileAndETag(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/profile", user: "alice"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
	assert.Contains(t, rec.Body.String(), `"first_name":"Alice"`)
}

func TestPatchProfile_UpdatesWithIfMatch(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"last_name":"Martin-Durand"}`, header: map[string]string{"If-Match": `"1"`}})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
	assert.Contains(t, rec.Body.String(), `"last_name":"Martin-Durand"`)

	v, err := f.svc.GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "Martin-Durand", v.Profile.LastName)
	assert.Equal(t, "Alice", v.Profile.FirstName, "a field not sent is unchanged")
}

func TestPatchProfile_UpdatesWithVersionField(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"Alicia","version":1}`})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
}

func TestPatchProfile_StaleVersionIsConflictAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	require.Equal(t, http.StatusOK, f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"A1","version":1}`}).Code)

	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"A2"}`, header: map[string]string{"If-Match": `"1"`}})
	assert.Equal(t, http.StatusConflict, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeConflict, e.Code)
	assert.Equal(t, "Your profile was changed elsewhere. Reload the page and try again.", e.Message)
	v, err := f.svc.GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "A1", v.Profile.FirstName)
}

func TestPatchProfile_VersionIsRequired(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"X"}`})
	assert.Equal(t, http.StatusPreconditionRequired, rec.Code)
	assert.Equal(t, httpapi.CodePreconditionRequired, errorOf(t, rec).Code)
}

func TestPatchProfile_IfMatchStarSkipsTheCheck(t *testing.T) {
	f := newFixture(t)
	require.Equal(t, http.StatusOK, f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"A1","version":1}`}).Code)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"A2"}`, header: map[string]string{"If-Match": "*"}})
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestPatchProfile_BadVersionsAreBadRequest(t *testing.T) {
	f := newFixture(t)
	for name, r := range map[string]req{
		"weak etag":          {body: `{"first_name":"X"}`, header: map[string]string{"If-Match": `W/"1"`}},
		"unquoted":           {body: `{"first_name":"X"}`, header: map[string]string{"If-Match": `1`}},
		"not a number":       {body: `{"first_name":"X"}`, header: map[string]string{"If-Match": `"one"`}},
		"zero field":         {body: `{"first_name":"X","version":0}`},
		"negative field":     {body: `{"first_name":"X","version":-3}`},
		"string field":       {body: `{"first_name":"X","version":"1"}`},
		"header and field ≠": {body: `{"first_name":"X","version":2}`, header: map[string]string{"If-Match": `"1"`}},
	} {
		t.Run(name, func(t *testing.T) {
			r.method, r.path, r.user = "PATCH", "/profile", "alice"
			rec := f.do(t, r)
			assert.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			assert.Equal(t, httpapi.CodeBadRequest, errorOf(t, rec).Code)
		})
	}
	v, err := f.svc.GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "Alice", v.Profile.FirstName)
}

func TestPatchProfile_EveryViolationIsReported(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"` + strings.Repeat("x", 101) + `","email":"not an email","version":1}`})
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeValidationFailed, e.Code)
	require.Len(t, e.Violations, 2)
	assert.Equal(t, httpapi.Violation{Field: "first_name", Rule: "too_long", Params: map[string]any{"max": float64(100)}, Message: "Use at most 100 characters."}, e.Violations[0])
	assert.Equal(t, "email", e.Violations[1].Field)
	assert.Equal(t, "invalid_email", e.Violations[1].Rule)
	assert.Equal(t, "Enter one valid email address, such as name@example.com.", e.Violations[1].Message)
	assert.Contains(t, e.Message, "Use at most 100 characters.")
}

func TestPatchProfile_ManagedFieldIsReadOnly(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "bob", body: `{"email":"bob@elsewhere.example","version":1}`})
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	e := errorOf(t, rec)
	require.Len(t, e.Violations, 1)
	assert.Equal(t, "email", e.Violations[0].Field)
	assert.Equal(t, "read_only", e.Violations[0].Rule)
}

func TestPatchProfile_UserIDInBodyIsRefused(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"user_id":"bob","first_name":"Mallory","version":1}`})
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	v, err := f.svc.GetProfile(context.Background(), "bob")
	require.NoError(t, err)
	assert.Equal(t, "Bob", v.Profile.FirstName)
}

func TestHygiene_BodyOverCapIs413(t *testing.T) {
	f := newFixture(t)
	big := `{"first_name":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `","version":1}`
	rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: big})
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, httpapi.CodePayloadTooLarge, errorOf(t, rec).Code)
}

func TestHygiene_MalformedBodiesAreBadRequest(t *testing.T) {
	f := newFixture(t)
	for name, body := range map[string]string{
		"unknown field":    `{"first_nam":"X","version":1}`,
		"two values":       `{"first_name":"X","version":1}{"first_name":"Y"}`,
		"trailing garbage": `{"first_name":"X","version":1} x`,
		"not json":         `first_name=X`,
		"truncated":        `{"first_name":"X"`,
		"array":            `[1,2]`,
		"wrong type":       `{"first_name":7,"version":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: body})
			assert.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			assert.Equal(t, httpapi.CodeBadRequest, errorOf(t, rec).Code)
		})
	}
}

func TestHygiene_WrongContentTypeIs415(t *testing.T) {
	f := newFixture(t)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1"} {
		t.Run(ct, func(t *testing.T) {
			r := req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"X","version":1}`, header: map[string]string{"Content-Type": ct}}
			rec := f.do(t, r)
			if ct == "" {
				// do() sets JSON when the header is empty; send it bare.
				hr := httptest.NewRequest("PATCH", "/profile", strings.NewReader(r.body))
				hr.Header.Set(userHeader, "alice")
				rec = httptest.NewRecorder()
				f.api.ServeHTTP(rec, hr)
			}
			assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
			assert.Equal(t, httpapi.CodeUnsupportedMediaType, errorOf(t, rec).Code)
		})
	}
	assert.Equal(t, http.StatusOK, f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"X","version":1}`, header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}}).Code)
}

func TestHygiene_CrossSiteStateChangeIsRefused(t *testing.T) {
	f := newFixture(t)
	for name, h := range map[string]map[string]string{
		"sec-fetch-site cross-site": {"Sec-Fetch-Site": "cross-site"},
		"sec-fetch-site same-site":  {"Sec-Fetch-Site": "same-site"},
		"foreign origin":            {"Origin": "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"Mallory","version":1}`, header: h})
			assert.Equal(t, http.StatusForbidden, rec.Code)
			assert.Equal(t, httpapi.CodeForbiddenOrigin, errorOf(t, rec).Code)
		})
	}
	v, err := f.svc.GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "Alice", v.Profile.FirstName, "nothing changed")
}

func TestHygiene_SameOriginStateChangeIsAllowed(t *testing.T) {
	f := newFixture(t)
	for name, h := range map[string]map[string]string{
		"sec-fetch-site same-origin": {"Sec-Fetch-Site": "same-origin", "Origin": "http://profile.example"},
		"origin equals host":         {"Origin": "http://profile.example"},
		"no browser headers":         {},
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"Alice","version":1}`, header: h})
			assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		})
	}
}

func TestHygiene_CrossSiteReadIsAllowedButStillNeedsAUser(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "alice", header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	assert.Equal(t, http.StatusOK, rec.Code)
}

func TestHygiene_TrustedOriginMayChangeState(t *testing.T) {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	require.NoError(t, err)
	require.NoError(t, svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice"}))
	api := httpapi.New(svc, httpapi.Options{
		UserID:         func(*http.Request) (string, error) { return "alice", nil },
		TrustedOrigins: []string{"https://admin.example"},
	})
	hr := httptest.NewRequest("PATCH", "http://profile.example/profile", strings.NewReader(`{"first_name":"Al","version":1}`))
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Origin", "https://admin.example")
	hr.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, hr)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestHygiene_EveryResponseIsNoStore(t *testing.T) {
	f := newFixture(t)
	for _, r := range []req{
		{method: "GET", path: "/page", user: "alice"},
		{method: "GET", path: "/page", user: "dora"},
		{method: "GET", path: "/page"},
		{method: "GET", path: "/profile", user: "alice"},
		{method: "PATCH", path: "/profile", user: "alice", body: `{"version":1}`},
		{method: "PATCH", path: "/profile", user: "alice", body: `{`},
		{method: "GET", path: "/nope", user: "alice"},
		{method: "DELETE", path: "/page", user: "alice"},
		{method: "POST", path: "/token/reveal", user: "alice"},
		{method: "POST", path: "/token/regenerate", user: "alice"},
	} {
		t.Run(r.method+r.path, func(t *testing.T) {
			rec := f.do(t, r)
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
		})
	}
}

func TestRouting_UnknownPathIsJSON404(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/admin", user: "alice"})
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, httpapi.CodeNotFound, errorOf(t, rec).Code)
}

func TestRouting_WrongMethodIsJSON405WithAllow(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "DELETE", path: "/profile", user: "alice"})
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET, HEAD, PATCH", rec.Header().Get("Allow"))
	assert.Equal(t, httpapi.CodeMethodNotAllowed, errorOf(t, rec).Code)
}

func TestOptions_PrefixMountsUnderAPath(t *testing.T) {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	require.NoError(t, err)
	require.NoError(t, svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice"}))
	api := httpapi.New(svc, httpapi.Options{
		UserID: func(*http.Request) (string, error) { return "alice", nil },
		Prefix: "/api/profile",
	})
	mux := http.NewServeMux()
	mux.Handle("/api/profile/", api)

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/profile/page", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/profile/nope", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
}

func TestNew_MisconfigurationPanics(t *testing.T) {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	require.NoError(t, err)
	uid := func(*http.Request) (string, error) { return "x", nil }
	assert.Panics(t, func() { httpapi.New(nil, httpapi.Options{UserID: uid}) })
	assert.Panics(t, func() { httpapi.New(svc, httpapi.Options{}) })
	assert.Panics(t, func() { httpapi.New(svc, httpapi.Options{UserID: uid, Prefix: "api/"}) })
	assert.Panics(t, func() { httpapi.New(svc, httpapi.Options{UserID: uid, TrustedOrigins: []string{"not an origin"}}) })
}

func TestErrors_MessageFollowsAcceptLanguageWhenUserUnknown(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "nobody", header: map[string]string{"Accept-Language": "en-US"}})
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "The account was not found.", errorOf(t, rec).Message)
}
