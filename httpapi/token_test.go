package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile/httpapi"
)

// tokenOf decodes a reveal or regenerate response.
func tokenOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out struct {
		Token string `json:"token"`
	}
	decodeJSON(t, rec, &out)
	require.NotEmpty(t, out.Token)
	return out.Token
}

// whoami is an integration endpoint behind RequireToken.
func (f *fixture) whoami(t *testing.T, authorization string) *httptest.ResponseRecorder {
	t.Helper()
	h := httpapi.RequireToken(f.svc, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := httpapi.UserFromContext(r.Context())
		if !ok {
			http.Error(w, "no user in context", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(id))
	}))
	r := httptest.NewRequest("GET", "/api/whoami", nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestPostTokenRegenerate_ReturnsANewWorkingToken(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	rec := f.whoami(t, "Bearer "+tok)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "alice", rec.Body.String())
}

func TestPostTokenRegenerate_OldTokenStopsWorking(t *testing.T) {
	f := newFixture(t)
	old := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	fresh := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	assert.NotEqual(t, old, fresh)
	assert.Equal(t, http.StatusUnauthorized, f.whoami(t, "Bearer "+old).Code)
	assert.Equal(t, http.StatusOK, f.whoami(t, "Bearer "+fresh).Code)
}

func TestPostTokenRegenerate_AcceptsAnEmptyJSONObject(t *testing.T) {
	f := newFixture(t)
	tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice", body: `{}`}))
}

func TestPostTokenRegenerate_RefusesABodyWithFields(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice", body: `{"user_id":"bob"}`})
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}

func TestPostTokenReveal_ReturnsTheCurrentToken(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	rec := f.do(t, req{method: "POST", path: "/token/reveal", user: "alice"})
	assert.Equal(t, tok, tokenOf(t, rec))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
}

func TestPostTokenReveal_WithoutTokenIsNotRetrievable(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/token/reveal", user: "alice"})
	assert.Equal(t, http.StatusConflict, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeTokenNotRetrievable, e.Code)
	assert.Equal(t, "Your API token cannot be shown again. Regenerate it to get a new token.", e.Message)
}

func TestPostTokenReveal_NeedsJSONContentType(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/token/reveal", user: "alice", header: map[string]string{"Content-Type": "text/plain"}})
	assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
}

func TestTokenEndpoints_DisabledTabIsFeatureDisabled(t *testing.T) {
	f := newFixture(t)
	for _, r := range []req{
		{method: "POST", path: "/token/reveal", user: "carol"},
		{method: "POST", path: "/token/regenerate", user: "carol"},
		{method: "DELETE", path: "/token", user: "carol"},
	} {
		t.Run(r.method+r.path, func(t *testing.T) {
			rec := f.do(t, r)
			assert.Equal(t, http.StatusForbidden, rec.Code)
			assert.Equal(t, httpapi.CodeFeatureDisabled, errorOf(t, rec).Code)
		})
	}
}

func TestTokenEndpoints_CrossSiteIsRefused(t *testing.T) {
	f := newFixture(t)
	for _, r := range []req{
		{method: "POST", path: "/token/reveal", user: "alice"},
		{method: "POST", path: "/token/regenerate", user: "alice"},
		{method: "DELETE", path: "/token", user: "alice"},
	} {
		t.Run(r.method+r.path, func(t *testing.T) {
			r.header = map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
			rec := f.do(t, r)
			assert.Equal(t, http.StatusForbidden, rec.Code)
			assert.Equal(t, httpapi.CodeForbiddenOrigin, errorOf(t, rec).Code)
		})
	}
	pg, err := f.svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.False(t, pg.APIToken.HasToken, "no token was made")
}

func TestDeleteToken_RevokesTheToken(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	rec := f.do(t, req{method: "DELETE", path: "/token", user: "alice"})
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	assert.Equal(t, http.StatusUnauthorized, f.whoami(t, "Bearer "+tok).Code)
}

func TestRequireToken_RefusesBadCredentials(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	for name, tc := range map[string]struct {
		header    string
		challenge string
	}{
		"missing":        {"", `Bearer realm="api"`},
		"basic scheme":   {"Basic YWxpY2U6cGFzcw==", `Bearer realm="api"`},
		"empty bearer":   {"Bearer ", `Bearer realm="api"`},
		"garbage":        {"Bearer not-a-token", `Bearer realm="api", error="invalid_token"`},
		"mistyped token": {"Bearer " + tok[:len(tok)-1] + flip(tok[len(tok)-1]), `Bearer realm="api", error="invalid_token"`},
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.whoami(t, tc.header)
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			assert.Equal(t, tc.challenge, rec.Header().Get("WWW-Authenticate"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			e := errorOf(t, rec)
			assert.Equal(t, httpapi.CodeInvalidToken, e.Code)
			assert.Equal(t, "The API token is invalid, expired or no longer active.", e.Message)
		})
	}
}

func TestRequireToken_SchemeIsCaseInsensitive(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	assert.Equal(t, http.StatusOK, f.whoami(t, "bearer "+tok).Code)
}

func TestRequireToken_TokenOfDeletedUserStopsWorking(t *testing.T) {
	f := newFixture(t)
	tok := tokenOf(t, f.do(t, req{method: "POST", path: "/token/regenerate", user: "alice"}))
	require.NoError(t, f.svc.DeleteUser(context.Background(), "alice"))
	assert.Equal(t, http.StatusUnauthorized, f.whoami(t, "Bearer "+tok).Code)
}

// flip changes one character of a token.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
