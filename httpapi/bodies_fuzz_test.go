package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// stateChanging lists every endpoint that changes state, with a body it
// accepts (the fuzzer mutates it).
var stateChanging = []struct{ method, path, seed string }{
	{"PATCH", "/profile", `{"first_name":"Alicia","last_name":"Martin","email":"alicia@example.com","version":1}`},
	{"PUT", "/language", `{"language":"de-CH"}`},
	{"POST", "/password", `{"current_password":"Plum-Kettle-Harbor-9","new_password":"Otter-Lantern-Quay-4","confirm_password":"Otter-Lantern-Quay-4"}`},
	{"POST", "/password/check", `{"password":"Otter-Lantern-Quay-4"}`},
	{"POST", "/token/reveal", `{}`},
	{"POST", "/token/regenerate", `{}`},
	{"DELETE", "/token", ``},
}

// fuzzUsers are the signed-in users a fuzzed request may carry: local,
// SSO, token tab off, every tab off, unknown, and no session. (The user ID
// comes from the host's session, not from the request: an ID the library
// refuses is the host's bug, and rightly a 500.)
var fuzzUsers = []string{"alice", "bob", "carol", "dora", "nobody", ""}

// FuzzHTTPAPIBodies sends arbitrary bodies with arbitrary content types to
// every state-changing endpoint as any kind of user: the API never
// panics, never answers a 5xx, and always answers one JSON value with
// Cache-Control: no-store.
func FuzzHTTPAPIBodies(f *testing.F) {
	contentTypes := []string{"application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=latin1", "APPLICATION/JSON"}
	for i, ep := range stateChanging {
		for j, ct := range contentTypes {
			f.Add(uint8(i), uint8(j%len(fuzzUsers)), ct, ep.seed)
		}
		f.Add(uint8(i), uint8(0), "application/json", `{"unknown":1}`)
		f.Add(uint8(i), uint8(0), "application/json", `{"version":1e400,"language":null}`)
		f.Add(uint8(i), uint8(0), "application/json", `[`+strings.Repeat(`[`, 200))
		f.Add(uint8(i), uint8(0), "application/json", `{"first_name":"`+strings.Repeat("é", 70000)+`"}`)
		f.Add(uint8(i), uint8(0), "application/json", `{} {}`)
		f.Add(uint8(i), uint8(0), "application/json", "\xff\xfe{\"new_password\":\"\x00\"}")
	}
	fx := newFixture(f)
	if err := fx.svc.SetPassword(context.Background(), "alice", "Plum-Kettle-Harbor-9"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, endpoint, user uint8, contentType, body string) {
		ep := stateChanging[int(endpoint)%len(stateChanging)]
		r := httptest.NewRequest(ep.method, "http://profile.example"+ep.path, strings.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if u := fuzzUsers[int(user)%len(fuzzUsers)]; u != "" {
			r.Header.Set(userHeader, u)
		}
		rec := httptest.NewRecorder()
		fx.api.ServeHTTP(rec, r)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("%s %s: status %d for Content-Type %q, body %q: %s", ep.method, ep.path, rec.Code, contentType, body, rec.Body.String())
		}
		if rec.Code == 204 && rec.Body.Len() > 0 {
			t.Fatalf("%s %s: 204 with a body: %q", ep.method, ep.path, rec.Body.String())
		}
		if rec.Code != 204 && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: response %d is not JSON: %q", ep.method, ep.path, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s %s: response %d without Cache-Control: no-store", ep.method, ep.path, rec.Code)
		}
	})
}
