package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
	"github.com/profilekit/profile/store/memory"
)

// sessionUser stands for the host's own session lookup.
func sessionUser(r *http.Request) (string, error) {
	c, err := r.Cookie("session")
	if err != nil {
		return "", err
	}
	return c.Value, nil // a real host looks the session up; never trust a raw cookie
}

// Mount the My Profile API under /api/profile/ of an existing server, next
// to the host's own routes.
func Example() {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	if err != nil {
		panic(err)
	}
	_ = svc.CreateUser(context.Background(), "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"})

	mux := http.NewServeMux() // the host's existing mux
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	mux.Handle("/api/profile/", httpapi.New(svc, httpapi.Options{
		UserID: sessionUser,
		Prefix: "/api/profile",
	}))

	srv := httptest.NewServer(mux)
	defer srv.Close()

	body := strings.NewReader(`{"last_name":"Martin"}`)
	req, _ := http.NewRequest("PATCH", srv.URL+"/api/profile/profile", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", `"1"`)
	req.AddCookie(&http.Cookie{Name: "session", Value: "alice"})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	// Output:
	// 200 OK "2" no-store
}

// Protect an integration endpoint with the user's personal API token.
func ExampleRequireToken() {
	svc, err := profile.New(profile.Config{Store: memory.New()})
	if err != nil {
		panic(err)
	}
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, _ := httpapi.UserFromContext(r.Context())
		fmt.Fprintln(w, userID)
	})
	h := httpapi.RequireToken(svc, whoami)

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/whoami", nil)
	req.Header.Set("Authorization", "Bearer pk_not-a-real-token")
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("WWW-Authenticate"))
	// Output:
	// 401 Bearer realm="api", error="invalid_token"
}
