// Package httpapi serves a profile.Service as a JSON API over net/http: the
// endpoints a My Profile page calls, and a middleware that authenticates
// integrations by their personal API token.
//
// The host keeps authentication of the page's user: Options.UserID returns
// the signed-in user of a request (from the host's session, a header set by
// a gateway, ...). httpapi never takes a user ID from a request's body or
// URL.
//
// Endpoints (paths relative to Options.Prefix):
//
//	GET    /page              the whole page: tabs, profile, preferences, password rules, token state, labels
//	GET    /profile           the Personal Information Details, with ETag: "<version>"
//	PATCH  /profile           partial update; If-Match: "<version>" or "version" in the body
//	GET    /languages         the language dropdown
//	PUT    /language          {"language": "de"}
//	POST   /password          {"current_password", "new_password", "confirm_password"}
//	POST   /password/check    {"password"}: the rules the candidate breaks, changes nothing
//	POST   /token/reveal      the current API token (the copy button)
//	POST   /token/regenerate  a new API token; the old one stops working at once
//	DELETE /token             revoke the API token
//
// Every error has one shape:
//
//	{"error": {"code": "validation_failed", "message": "...", "violations": [{"field", "rule", "params", "message"}]}}
//
// where code is stable (see the Code constants) and message is in the
// user's language.
//
// Cross-site protection: every state-changing request (POST, PUT, PATCH,
// DELETE) passes net/http's CrossOriginProtection (Sec-Fetch-Site, else
// Origin against Host, plus Options.TrustedOrigins), and every POST, PUT or
// PATCH must carry Content-Type: application/json, which a cross-site HTML
// form cannot send. Every response carries Cache-Control: no-store.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/profilekit/profile"
)

// MaxBodyBytes caps a request body; a larger one is refused with 413.
const MaxBodyBytes = 64 << 10

// Options configures the handler New returns.
type Options struct {
	// UserID returns the ID of the user signed in on r, from the host's own
	// authentication. Required. An error answers 401 unauthenticated and
	// ends the request; its text is logged, never sent.
	UserID func(r *http.Request) (string, error)
	// Logger receives one line per failed request (code, status, method,
	// path) and the internal error of a 500. It never receives a request
	// body, a password or a token. Nil: nothing is logged.
	Logger *slog.Logger
	// TrustedOrigins lists extra origins ("https://admin.example.com")
	// allowed to make state-changing requests besides the request's own
	// host. Each must be scheme://host[:port].
	TrustedOrigins []string
	// Prefix is the path the API is mounted under, such as "/api/profile",
	// without a trailing slash. Empty: the root. The handler matches full
	// paths, so mount it at Prefix+"/" without http.StripPrefix.
	Prefix string
}

// handler serves the API.
type handler struct {
	svc    *profile.Service
	opts   Options
	log    *slog.Logger
	cop    *http.CrossOriginProtection
	mux    *http.ServeMux
	prefix string
}

// New returns the API's handler for svc. It panics if svc or opts.UserID is
// nil, or if an entry of opts.TrustedOrigins or opts.Prefix is malformed:
// these are programming errors found at start-up. The handler is safe for
// concurrent use.
func New(svc *profile.Service, opts Options) http.Handler {
	if svc == nil {
		panic("httpapi: New: nil *profile.Service")
	}
	if opts.UserID == nil {
		panic("httpapi: New: Options.UserID is required")
	}
	prefix := opts.Prefix
	if prefix != "" && (!strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/") || strings.ContainsAny(prefix, " {}")) {
		panic(fmt.Sprintf("httpapi: New: Options.Prefix %q must start with / and not end with /", prefix))
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range opts.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			panic(fmt.Sprintf("httpapi: New: Options.TrustedOrigins: %v", err))
		}
	}
	h := &handler{svc: svc, opts: opts, log: opts.Logger, cop: cop, mux: http.NewServeMux(), prefix: prefix}
	h.route("/page", map[string]endpoint{
		"GET": h.getPage,
	})
	h.route("/profile", map[string]endpoint{
		"GET":   h.getProfile,
		"PATCH": h.patchProfile,
	})
	h.route("/languages", map[string]endpoint{
		"GET": h.getLanguages,
	})
	h.route("/language", map[string]endpoint{
		"PUT": h.putLanguage,
	})
	h.route("/password", map[string]endpoint{
		"POST": h.postPassword,
	})
	h.route("/password/check", map[string]endpoint{
		"POST": h.postPasswordCheck,
	})
	h.route("/token/reveal", map[string]endpoint{
		"POST": h.postTokenReveal,
	})
	h.route("/token/regenerate", map[string]endpoint{
		"POST": h.postTokenRegenerate,
	})
	h.route("/token", map[string]endpoint{
		"DELETE": h.deleteToken,
	})
	h.mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		h.writeError(w, r, "", &apiError{status: http.StatusNotFound, code: CodeNotFound, msg: "No such endpoint."})
	})
	return h
}

// endpoint serves one method of one path for the signed-in user.
type endpoint func(w http.ResponseWriter, r *http.Request, userID string) error

// route registers the methods of one path, and a fallback answering 405
// with Allow for every other method.
func (h *handler) route(path string, methods map[string]endpoint) {
	allow := make([]string, 0, len(methods)+1)
	for m, ep := range methods {
		allow = append(allow, m)
		if m == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
		h.mux.HandleFunc(m+" "+h.prefix+path, h.serve(ep))
	}
	slices.Sort(allow)
	allowed := strings.Join(allow, ", ")
	h.mux.HandleFunc(h.prefix+path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allowed)
		h.writeError(w, r, "", &apiError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed, msg: "This method is not allowed here."})
	})
}

// ServeHTTP sets the headers every response carries and dispatches.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// serve wraps an endpoint: cross-site check, the user, errors.
func (h *handler) serve(ep endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h.cop.Check(r); err != nil {
			h.writeError(w, r, "", &apiError{status: http.StatusForbidden, code: CodeForbiddenOrigin, msg: "Cross-origin request refused."})
			return
		}
		userID, err := h.opts.UserID(r)
		if err != nil || userID == "" {
			if err == nil {
				err = errors.New("empty user ID")
			}
			h.writeError(w, r, "", &apiError{status: http.StatusUnauthorized, code: CodeUnauthenticated, msg: "Sign in to continue.", cause: err})
			return
		}
		if err := ep(w, r, userID); err != nil {
			h.writeError(w, r, userID, err)
		}
	}
}

// ctxKey keys the authenticated user in a request context.
type ctxKey struct{}

// withUser returns ctx carrying userID.
func withUser(ctx context.Context, userID string) context.Context {
	return context.WithValue(ctx, ctxKey{}, userID)
}

// UserFromContext returns the user RequireToken authenticated, and false
// when ctx carries none.
func UserFromContext(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(ctxKey{}).(string)
	return id, ok && id != ""
}
