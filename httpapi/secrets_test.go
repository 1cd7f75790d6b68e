package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecrets_NoPasswordOrTokenInResponsesOrLogs runs every endpoint,
// successes and failures, and checks that no password appears in any
// response or log line, and a token only in the reveal and regenerate
// responses.
func TestSecrets_NoPasswordOrTokenInResponsesOrLogs(t *testing.T) {
	f := newFixture(t)
	const current, weak, strong = "Current-Secret-11", "Weak-pw", "Strong-Secret-22"
	require.NoError(t, f.svc.SetPassword(context.Background(), "alice", current))

	type exchange struct {
		name string
		rec  *httptest.ResponseRecorder
	}
	var all []exchange
	run := func(name string, r req) *httptest.ResponseRecorder {
		rec := f.do(t, r)
		all = append(all, exchange{name, rec})
		return rec
	}
	run("page", req{method: "GET", path: "/page", user: "alice"})
	run("weak", req{method: "POST", path: "/password", user: "alice", body: passwordBody(current, weak, weak)})
	run("mismatch", req{method: "POST", path: "/password", user: "alice", body: passwordBody(current, strong, weak)})
	run("wrong current", req{method: "POST", path: "/password", user: "alice", body: passwordBody(weak, strong, strong)})
	run("check", req{method: "POST", path: "/password/check", user: "alice", body: `{"password":"` + weak + `"}`})
	run("password in unknown field", req{method: "POST", path: "/password", user: "alice", body: `{"pass":"` + strong + `"}`})
	run("password as wrong type", req{method: "POST", path: "/password/check", user: "alice", body: `{"password":["` + strong + `"]}`})
	run("password in broken json", req{method: "POST", path: "/password", user: "alice", body: `{"new_password":"` + strong})
	run("sso", req{method: "POST", path: "/password", user: "bob", body: passwordBody(current, strong, strong)})
	run("cross-site", req{method: "POST", path: "/password", user: "alice", body: passwordBody(current, strong, strong), header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	run("change", req{method: "POST", path: "/password", user: "alice", body: passwordBody(current, strong, strong)})

	regen := run("regenerate", req{method: "POST", path: "/token/regenerate", user: "alice"})
	oldTok := tokenOf(t, regen)
	reveal := run("reveal", req{method: "POST", path: "/token/reveal", user: "alice"})
	require.Equal(t, oldTok, tokenOf(t, reveal))
	regen2 := run("regenerate again", req{method: "POST", path: "/token/regenerate", user: "alice"})
	newTok := tokenOf(t, regen2)
	all = append(all, exchange{"whoami old", f.whoami(t, "Bearer "+oldTok)})
	all = append(all, exchange{"whoami new", f.whoami(t, "Bearer "+newTok)})
	run("page after", req{method: "GET", path: "/page", user: "alice"})
	run("token in body", req{method: "POST", path: "/token/reveal", user: "alice", body: `{"token":"` + newTok + `"}`})
	run("delete", req{method: "DELETE", path: "/token", user: "alice"})
	all = append(all, exchange{"whoami revoked", f.whoami(t, "Bearer "+newTok)})

	allowed := map[string]bool{"regenerate": true, "reveal": true, "regenerate again": true}
	for _, ex := range all {
		var sb strings.Builder
		for k, vs := range ex.rec.Header() {
			sb.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
		}
		sb.WriteString(ex.rec.Body.String())
		text := sb.String()
		for _, pw := range []string{current, weak, strong} {
			assert.NotContains(t, text, pw, "%s: a password leaked into the response", ex.name)
		}
		if ex.name == "whoami new" {
			continue // its body is the user ID the test handler wrote
		}
		if !allowed[ex.name] {
			assert.NotContains(t, text, oldTok, "%s: a token leaked into the response", ex.name)
			assert.NotContains(t, text, newTok, "%s: a token leaked into the response", ex.name)
		}
		assert.Equal(t, "no-store", ex.rec.Header().Get("Cache-Control"), ex.name)
	}
	logs := f.logs.String()
	require.NotEmpty(t, logs, "the failures were logged")
	for _, secret := range []string{current, weak, strong, oldTok, newTok} {
		assert.NotContains(t, logs, secret)
	}
}

// TestSecrets_InternalErrorsShowNoInternals checks a 500's body against
// its logged cause.
func TestSecrets_InternalErrorsShowNoInternals(t *testing.T) {
	f := newFixture(t)
	// A user ID the store refuses as invalid reaches the service as a bad
	// ID: the page answers with a generic message and logs the cause.
	rec := f.do(t, req{method: "GET", path: "/page", user: strings.Repeat("x", 300)})
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, "internal", e.Code)
	assert.Equal(t, "Something went wrong on our side. Please try again later.", e.Message)
	assert.NotContains(t, rec.Body.String(), "profile:")
	assert.Contains(t, f.logs.String(), "invalid user ID", "the cause is in the log")
}
