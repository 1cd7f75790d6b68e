package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// newTestServer starts the app on a fresh database.
func newTestServer(t *testing.T, dbPath string) (*App, *httptest.Server) {
	t.Helper()
	app, err := NewApp(context.Background(), Config{DBPath: dbPath})
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	t.Cleanup(func() { srv.Close(); _ = app.Close() })
	return app, srv
}

// client returns an HTTP client with a cookie jar, signed in as user.
func signedIn(t *testing.T, srv *httptest.Server, user string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"user": {user}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "login redirects to the page")
	return c
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestApp_PageNeedsALogin(t *testing.T) {
	_, srv := newTestServer(t, filepath.Join(t.TempDir(), "p.db"))
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/login", resp.Header.Get("Location"))

	code, _ := get(t, http.DefaultClient, srv.URL+"/api/profile/page")
	assert.Equal(t, http.StatusUnauthorized, code, "the API needs the session too")
}

func TestApp_LoginRefusesAnUnknownUser(t *testing.T) {
	_, srv := newTestServer(t, filepath.Join(t.TempDir(), "p.db"))
	resp, err := http.PostForm(srv.URL+"/login", url.Values{"user": {"mallory"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestApp_LoginRefusesACrossSiteForm(t *testing.T) {
	_, srv := newTestServer(t, filepath.Join(t.TempDir(), "p.db"))
	req, err := http.NewRequest("POST", srv.URL+"/login", strings.NewReader("user=alice"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestApp_PageShowsTheUsersTabsInTheirLanguage(t *testing.T) {
	app, srv := newTestServer(t, filepath.Join(t.TempDir(), "p.db"))
	en, de := app.Service().Labels("en"), app.Service().Labels("de")

	code, body := get(t, signedIn(t, srv, "alice"), srv.URL+"/")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `<html lang="en">`)
	assert.Contains(t, body, `id="tab-api_token"`)
	assert.Contains(t, body, en["ui.tab.personal_info"])

	code, body = get(t, signedIn(t, srv, "carol"), srv.URL+"/")
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, body, `id="tab-api_token"`)
	assert.NotContains(t, body, `id="panel-api_token"`)

	code, body = get(t, signedIn(t, srv, "bob"), srv.URL+"/")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `id="sso-message"`)
	assert.NotContains(t, body, `id="password-form"`)

	code, body = get(t, signedIn(t, srv, "dieter"), srv.URL+"/")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `<html lang="de">`)
	assert.Contains(t, body, de["ui.tab.password"])
}

func TestApp_DataSurvivesARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	app, err := NewApp(context.Background(), Config{DBPath: db})
	require.NoError(t, err)
	name := "Alicia"
	_, err = app.Service().UpdateProfile(context.Background(), "alice", profileUpdateFirstName(name))
	require.NoError(t, err)
	tok, err := app.Service().RevealToken(context.Background(), "alice")
	require.NoError(t, err)
	require.NoError(t, app.Close())

	app, srv := newTestServer(t, db)
	v, err := app.Service().GetProfile(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, name, v.Profile.FirstName, "seeding again changes nothing")

	req, err := http.NewRequest("GET", srv.URL+"/api/whoami", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.Plaintext())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the token works after a restart (key file beside the database)")
}

func profileUpdateFirstName(name string) profile.ProfileUpdate {
	return profile.ProfileUpdate{FirstName: &name}
}
