package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
)

const alicePassword = "Old-Secret-2026"

func withAlicePassword(t *testing.T, f *fixture) {
	t.Helper()
	require.NoError(t, f.svc.SetPassword(context.Background(), "alice", alicePassword))
}

func passwordBody(current, next, confirm string) string {
	return `{"current_password":` + strconv.Quote(current) + `,"new_password":` + strconv.Quote(next) + `,"confirm_password":` + strconv.Quote(confirm) + `}`
}

func TestPostPassword_ChangesThePassword(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	rec := f.do(t, req{method: "POST", path: "/password", user: "alice", body: passwordBody(alicePassword, "New-Secret-2027", "New-Secret-2027")})
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	assert.Empty(t, rec.Body.String())
	assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", "New-Secret-2027"))
}

func TestPostPassword_WeakPasswordReportsEveryViolation(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	rec := f.do(t, req{method: "POST", path: "/password", user: "alice", body: passwordBody(alicePassword, "abc", "abd")})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeValidationFailed, e.Code)
	var msgs []string
	for _, v := range e.Violations {
		assert.NotEmpty(t, v.Field)
		assert.NotEmpty(t, v.Rule)
		msgs = append(msgs, v.Message)
	}
	assert.Contains(t, msgs, "Use at least 8 characters.")
	assert.Contains(t, msgs, "Include at least 1 digit.")
	assert.Contains(t, msgs, "The new password and its confirmation do not match.")
	assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", alicePassword), "nothing changed")
}

func TestPostPassword_WrongCurrentPasswordIsInvalidCredentials(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	rec := f.do(t, req{method: "POST", path: "/password", user: "alice", body: passwordBody("Wrong-Secret-1", "New-Secret-2027", "New-Secret-2027")})
	assert.Equal(t, http.StatusBadRequest, rec.Code, "not 401: the user stays signed in")
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeInvalidCredentials, e.Code)
	assert.Equal(t, "The current password is incorrect.", e.Message)
}

func TestPostPassword_TooManyAttemptsIs429(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	var rec = f.do(t, req{method: "POST", path: "/password", user: "alice", body: passwordBody("Wrong-Secret-1", "New-Secret-2027", "New-Secret-2027")})
	for i := 0; i < profile.DefaultMaxAttempts+1 && rec.Code != http.StatusTooManyRequests; i++ {
		rec = f.do(t, req{method: "POST", path: "/password", user: "alice", body: passwordBody("Wrong-Secret-1", "New-Secret-2027", "New-Secret-2027")})
	}
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeTooManyAttempts, e.Code)
	assert.Equal(t, "Too many incorrect attempts. Please wait a while and try again.", e.Message)
	n, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err, "Retry-After says when the attempt window passes")
	assert.Positive(t, n)
	assert.LessOrEqual(t, n, int(profile.DefaultAttemptWindow/time.Second))
}

func TestPostPassword_SSOAccountGetsTheSentence(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/password", user: "bob", body: passwordBody("x", "New-Secret-2027", "New-Secret-2027")})
	assert.Equal(t, http.StatusForbidden, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, httpapi.CodeSSOManaged, e.Code)
	assert.Equal(t, profile.SSOMessage, e.Message)
}

func TestPostPassword_DisabledTabIsFeatureDisabled(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/password", user: "dora", body: passwordBody("x", "New-Secret-2027", "New-Secret-2027")})
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, httpapi.CodeFeatureDisabled, errorOf(t, rec).Code)
}

func TestPostPassword_MissingFieldsAreViolations(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	rec := f.do(t, req{method: "POST", path: "/password", user: "alice", body: `{}`})
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	assert.NotEmpty(t, errorOf(t, rec).Violations)
}

func TestPostPasswordCheck_ReportsViolationsAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	withAlicePassword(t, f)
	rec := f.do(t, req{method: "POST", path: "/password/check", user: "alice", body: `{"password":"abc"}`})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out struct {
		Valid      bool                `json:"valid"`
		Violations []httpapi.Violation `json:"violations"`
	}
	decodeJSON(t, rec, &out)
	assert.False(t, out.Valid)
	var msgs []string
	for _, v := range out.Violations {
		msgs = append(msgs, v.Message)
	}
	assert.Contains(t, msgs, "Use at least 8 characters.")
	assert.NoError(t, f.svc.VerifyPassword(context.Background(), "alice", alicePassword))
}

func TestPostPasswordCheck_GoodPasswordIsValid(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/password/check", user: "alice", body: `{"password":"Correct-Horse-42"}`})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"valid":true,"violations":[]}`, rec.Body.String())
}

func TestPostPasswordCheck_SSOAccountGetsTheSentence(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, req{method: "POST", path: "/password/check", user: "bob", body: `{"password":"Correct-Horse-42"}`})
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, profile.SSOMessage, errorOf(t, rec).Message)
}
