package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/profilekit/profile"
)

// Codes of the JSON error shape. They are stable: a page branches on them,
// never on the message.
const (
	CodeBadRequest           = "bad_request"            // 400: malformed JSON, unknown field, wrong version format
	CodeInvalidCredentials   = "invalid_credentials"    // 400: the current password is wrong (not 401: the user stays signed in)
	CodeUnauthenticated      = "unauthenticated"        // 401: Options.UserID found no signed-in user
	CodeInvalidToken         = "invalid_token"          // 401: RequireToken refused the bearer token
	CodeFeatureDisabled      = "feature_disabled"       // 403: the administrator disabled the tab
	CodeSSOManaged           = "sso_managed"            // 403: SSO account; the message is the SSO sentence
	CodeForbiddenOrigin      = "forbidden_origin"       // 403: cross-site state-changing request
	CodeNotFound             = "not_found"              // 404: unknown user or endpoint
	CodeMethodNotAllowed     = "method_not_allowed"     // 405: with an Allow header
	CodeConflict             = "conflict"               // 409: stale profile version
	CodeExists               = "exists"                 // 409: the account already exists
	CodeTokenNotRetrievable  = "token_not_retrievable"  // 409: the token cannot be shown again; regenerate it
	CodePayloadTooLarge      = "payload_too_large"      // 413: body above MaxBodyBytes
	CodeUnsupportedMediaType = "unsupported_media_type" // 415: body without Content-Type: application/json
	CodeValidationFailed     = "validation_failed"      // 422: with every violation
	CodeUnsupportedLanguage  = "unsupported_language"   // 422: with suggestions
	CodePreconditionRequired = "precondition_required"  // 428: PATCH /profile without a version
	CodeTooManyAttempts      = "too_many_attempts"      // 429: with Retry-After when known
	CodeInternal             = "internal"               // 500: never shows internals
)

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the error of an ErrorBody.
type ErrorDetail struct {
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Message is a sentence to show the user, in the user's language for
	// every error that comes from the Service; protocol errors a page never
	// provokes (bad_request, unsupported_media_type, ...) are in English.
	Message string `json:"message"`
	// Violations lists every broken rule of a validation_failed error.
	Violations []Violation `json:"violations,omitempty"`
	// Suggestions lists close supported languages for unsupported_language.
	Suggestions []string `json:"suggestions,omitempty"`
}

// Violation is one broken rule, as in profile.Violation.
type Violation struct {
	Field   string         `json:"field"`
	Rule    string         `json:"rule"`
	Params  map[string]any `json:"params,omitempty"`
	Message string         `json:"message"`
}

// apiError is an error httpapi itself raises, before or around the Service.
type apiError struct {
	status int
	code   string
	msg    string // English; used when sentinel is nil
	cause  error  // logged, never sent
}

func (e *apiError) Error() string { return "httpapi: " + e.code }

// statusOf maps each sentinel to its status and code, most specific first.
var statusOf = [...]struct {
	err    error
	status int
	code   string
}{
	{profile.ErrSSOManaged, http.StatusForbidden, CodeSSOManaged},
	{profile.ErrFeatureDisabled, http.StatusForbidden, CodeFeatureDisabled},
	{profile.ErrTooManyAttempts, http.StatusTooManyRequests, CodeTooManyAttempts},
	{profile.ErrInvalidCredentials, http.StatusBadRequest, CodeInvalidCredentials},
	{profile.ErrInvalidToken, http.StatusUnauthorized, CodeInvalidToken},
	{profile.ErrTokenNotRetrievable, http.StatusConflict, CodeTokenNotRetrievable},
	{profile.ErrUnsupportedLanguage, http.StatusUnprocessableEntity, CodeUnsupportedLanguage},
	{profile.ErrConflict, http.StatusConflict, CodeConflict},
	{profile.ErrNotFound, http.StatusNotFound, CodeNotFound},
	{profile.ErrExists, http.StatusConflict, CodeExists},
}

// errInternal stands for any unclassified error, so that a 500 shows the
// generic sentence whatever the cause.
var errInternal = errors.New("httpapi: internal error")

// retryAfter is implemented by an error that knows when to try again.
type retryAfter interface{ RetryAfter() time.Duration }

// writeError answers err in the one JSON error shape, in the language of
// the user (or of Accept-Language when the user is unknown).
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, userID string, err error) {
	status, body := h.errorBody(r, userID, err)
	if status == http.StatusTooManyRequests {
		var ra retryAfter
		if errors.As(err, &ra) {
			if d := ra.RetryAfter(); d > 0 {
				w.Header().Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
			}
		}
	}
	h.logFailure(r, status, body.Error.Code, err)
	writeJSON(w, status, body)
}

// errorBody classifies err.
func (h *handler) errorBody(r *http.Request, userID string, err error) (int, ErrorBody) {
	lang := func() string { return h.svc.ResolveLanguage(r.Context(), userID, r.Header.Get("Accept-Language")) }
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.status, ErrorBody{Error: ErrorDetail{Code: ae.code, Message: ae.msg}}
	}
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		d := ErrorDetail{Code: CodeValidationFailed, Violations: violations(ve)}
		d.Message = summary(d.Violations)
		return http.StatusUnprocessableEntity, ErrorBody{Error: d}
	}
	for _, m := range statusOf {
		if errors.Is(err, m.err) {
			d := ErrorDetail{Code: m.code, Message: h.svc.Message(lang(), m.err)}
			if m.code == CodeUnsupportedLanguage {
				d.Suggestions = suggestions(err)
			}
			return m.status, ErrorBody{Error: d}
		}
	}
	// A 500 may come from the store itself: do not read it again for the
	// user's language; Accept-Language decides.
	internalLang := h.svc.ResolveLanguage(r.Context(), "", r.Header.Get("Accept-Language"))
	return http.StatusInternalServerError, ErrorBody{Error: ErrorDetail{Code: CodeInternal, Message: h.svc.Message(internalLang, errInternal)}}
}

// violations copies a ValidationError's violations into the JSON shape.
func violations(ve *profile.ValidationError) []Violation {
	out := make([]Violation, len(ve.Violations))
	for i, v := range ve.Violations {
		out[i] = Violation{Field: v.Field, Rule: v.Rule, Params: v.Params, Message: v.Message}
	}
	return out
}

// summary is the top-level message of a validation error: its violations'
// messages (already in the user's language), one after the other.
func summary(vs []Violation) string {
	msg := ""
	for _, v := range vs {
		if v.Message == "" {
			continue
		}
		if msg != "" {
			msg += " "
		}
		msg += v.Message
	}
	return msg
}

// suggestions returns the close supported languages an unsupported
// language error offers, if any.
func suggestions(err error) []string {
	var le *profile.LanguageError
	if errors.As(err, &le) {
		return append([]string(nil), le.Suggestions...)
	}
	return nil
}

// logFailure logs one failed request. It never logs a body.
func (h *handler) logFailure(r *http.Request, status int, code string, err error) {
	if h.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("code", code),
	}
	level := slog.LevelInfo
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		if ae.cause != nil {
			attrs = append(attrs, slog.String("err", ae.cause.Error()))
		}
	case status >= 500:
		level = slog.LevelError
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	h.log.LogAttrs(context.WithoutCancel(r.Context()), level, "httpapi: request failed", attrs...)
}
