package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/profilekit/profile"
)

// RequireToken authenticates an integration's request by its personal API
// token, sent as "Authorization: Bearer <token>", through
// svc.Authenticate, and calls next with the token's user in the request
// context (read it with UserFromContext). A missing, malformed, unknown,
// revoked or expired token gets 401 with a WWW-Authenticate: Bearer
// challenge and the JSON error shape (code invalid_token); a failure of
// the store gets 500. The token never reaches a log or a response. The
// handler is safe for concurrent use; it panics if svc or next is nil.
func RequireToken(svc *profile.Service, next http.Handler) http.Handler {
	if svc == nil || next == nil {
		panic("httpapi: RequireToken: nil Service or handler")
	}
	h := &handler{svc: svc}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			h.writeTokenError(w, r, profile.ErrInvalidToken)
			return
		}
		userID, err := svc.Authenticate(r.Context(), token)
		if err != nil {
			if errors.Is(err, profile.ErrInvalidToken) || errors.Is(err, profile.ErrNotFound) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
				err = profile.ErrInvalidToken
			}
			h.writeTokenError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), userID)))
	})
}

// writeTokenError answers a refused integration request.
func (h *handler) writeTokenError(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Cache-Control", "no-store")
	h.writeError(w, r, "", err)
}

// bearer extracts the token of an Authorization: Bearer header.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
