package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
	"github.com/profilekit/profile/store/memory"
)

// userHeader carries the signed-in user in these tests; a real host reads
// its session instead.
const userHeader = "X-Test-User"

// fixture is an API over a Service with four users: alice (local), bob
// (SSO through Okta, email managed), carol (API token tab disabled) and
// dora (every tab disabled).
type fixture struct {
	svc  *profile.Service
	api  http.Handler
	logs *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := make([]byte, 32)
	_, err := rand.Read(key)
	require.NoError(t, err)
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	pol.Password.MinDigit = 1
	svc, err := profile.New(profile.Config{
		Store: memory.New(),
		Identity: profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
			if userID == "bob" {
				return profile.Identity{SSO: true, Provider: "Okta", Managed: []string{profile.FieldEmail}}, nil
			}
			return profile.Identity{}, nil
		}),
		PolicyFor: func(_ context.Context, userID string) (profile.Policy, error) {
			p := pol
			switch userID {
			case "carol":
				p.Features.APIToken = false
			case "dora":
				p.Features = profile.Features{}
			}
			return p, nil
		},
		Hashing:   profile.HashingConfig{Memory: 64, Time: 1, Threads: 1},
		TokenKeys: []profile.TokenKey{{ID: "k1", Key: key}},
	})
	require.NoError(t, err)
	ctx := context.Background()
	for id, p := range map[string]profile.Profile{
		"alice": {FirstName: "Alice", LastName: "Martin", Email: "alice@example.com"},
		"bob":   {FirstName: "Bob", LastName: "Stone", Email: "bob@corp.example"},
		"carol": {FirstName: "Carol", LastName: "Diaz", Email: "carol@example.com"},
		"dora":  {FirstName: "Dora", LastName: "Lind", Email: "dora@example.com"},
	} {
		require.NoError(t, svc.CreateUser(ctx, id, p))
	}
	logs := &syncBuffer{}
	api := httpapi.New(svc, httpapi.Options{
		UserID: func(r *http.Request) (string, error) {
			id := r.Header.Get(userHeader)
			if id == "" {
				return "", errors.New("no session")
			}
			return id, nil
		},
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	return &fixture{svc: svc, api: api, logs: logs}
}

// req describes one request to the API.
type req struct {
	method, path, user string
	body               string
	header             map[string]string
}

// do sends a JSON request as user and returns the recorded response.
func (f *fixture) do(t *testing.T, r req) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, "http://profile.example"+r.path, body)
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	} else if r.method == http.MethodPost || r.method == http.MethodPut || r.method == http.MethodPatch {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.user != "" {
		hr.Header.Set(userHeader, r.user)
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, hr)
	return rec
}

// errorOf decodes an error response.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) httpapi.ErrorDetail {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"), "body: %s", rec.Body.String())
	var b httpapi.ErrorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &b), rec.Body.String())
	return b.Error
}

// decodeJSON decodes a success response into v.
func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), v), rec.Body.String())
}
