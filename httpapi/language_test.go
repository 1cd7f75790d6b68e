package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
)

func TestGetLanguages_ListsNamesInTheirOwnLanguage(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/languages", user: "alice"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out struct {
		Languages []profile.LanguageOption `json:"languages"`
	}
	decodeJSON(t, rec, &out)
	byTag := map[string]profile.LanguageOption{}
	for _, o := range out.Languages {
		byTag[o.Tag] = o
	}
	require.Contains(t, byTag, "de")
	assert.Equal(t, "Deutsch", byTag["de"].SelfName)
	assert.Equal(t, "German", byTag["de"].Name)
	assert.True(t, byTag["en"].Selected)
}

func TestPutLanguage_SwitchesThePageAndTheErrors(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PUT", path: "/language", user: "alice", body: `{"language":"de"}`})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"language":"de"}`, rec.Body.String())

	var pg pageBody
	decodeJSON(t, f.do(t, req{method: "GET", path: "/page", user: "alice"}), &pg)
	assert.Equal(t, "de", pg.Language)
	assert.Equal(t, f.svc.Labels("de")["ui.tab.password"], pg.Labels["ui.tab.password"])
	assert.NotEqual(t, "Password", pg.Labels["ui.tab.password"])

	// Errors follow the user's preference over Accept-Language.
	rec = f.do(t, req{method: "PATCH", path: "/profile", user: "alice", body: `{"first_name":"X","version":99}`, header: map[string]string{"Accept-Language": "en"}})
	require.Equal(t, http.StatusConflict, rec.Code)
	assert.Equal(t, f.svc.Message("de", profile.ErrConflict), errorOf(t, rec).Message)
	assert.NotEqual(t, f.svc.Message("en", profile.ErrConflict), errorOf(t, rec).Message)
}

func TestPutLanguage_UnsupportedLanguageIs422WithSuggestions(t *testing.T) {
	f := newFixture(t)
	for name, tc := range map[string]struct {
		tag  string
		want string
	}{
		"traditional chinese": {"zh-TW", "zh-Hans"},
		"garbage":             {"!!", "en"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.do(t, req{method: "PUT", path: "/language", user: "alice", body: `{"language":"` + tc.tag + `"}`})
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			e := errorOf(t, rec)
			assert.Equal(t, httpapi.CodeUnsupportedLanguage, e.Code)
			assert.Equal(t, "This language is not supported.", e.Message)
			assert.Contains(t, e.Suggestions, tc.want)
		})
	}
	pg, err := f.svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, "en", pg.Language, "nothing changed")
}

func TestPutLanguage_MissingLanguageIsBadRequest(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "PUT", path: "/language", user: "alice", body: `{}`})
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, httpapi.CodeBadRequest, errorOf(t, rec).Code)
}

func TestErrors_UnknownUserMessageFollowsAcceptLanguage(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "GET", path: "/page", user: "nobody", header: map[string]string{"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}})
	assert.Equal(t, http.StatusNotFound, rec.Code)
	msg := errorOf(t, rec).Message
	assert.Equal(t, f.svc.Message("de", profile.ErrNotFound), msg)
	assert.NotEqual(t, "The account was not found.", msg)
}
