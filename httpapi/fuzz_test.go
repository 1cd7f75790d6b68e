package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPatchProfile sends arbitrary bodies and If-Match headers to PATCH
// /profile: the API never panics, never answers 500, and always answers
// one JSON value with Cache-Control: no-store.
func FuzzPatchProfile(f *testing.F) {
	f.Add(`{"first_name":"Alicia","version":1}`, ``)
	f.Add(`{"last_name":"Martin"}`, `"1"`)
	f.Add(`{"email":"a@b.example","attributes":{"x":"y"}}`, `*`)
	f.Add(`{"first_name":"\u0000"}`, `W/"1"`)
	f.Add(`{"version":1e400}`, `"99999999999999999999"`)
	f.Add(`[]`, `""`)
	fx := newFixture(f)
	allowed := map[int]bool{200: true, 400: true, 409: true, 413: true, 415: true, 422: true, 428: true}
	f.Fuzz(func(t *testing.T, body, ifMatch string) {
		r := httptest.NewRequest("PATCH", "http://profile.example/profile", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(userHeader, "alice")
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		rec := httptest.NewRecorder()
		fx.api.ServeHTTP(rec, r)
		if !allowed[rec.Code] {
			t.Fatalf("status %d for body %q, If-Match %q: %s", rec.Code, body, ifMatch, rec.Body.String())
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("response is not JSON: %q", rec.Body.String())
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatal("missing no-store")
		}
		if rec.Code == http.StatusOK && rec.Header().Get("ETag") == "" {
			t.Fatal("200 without ETag")
		}
	})
}
