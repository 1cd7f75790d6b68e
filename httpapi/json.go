package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own DTOs are marshalled; this cannot happen with them.
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// requireJSON refuses a request whose Content-Type is not
// application/json (charset utf-8 allowed). A cross-site HTML form cannot
// send this type, which is half of the CSRF defence.
func requireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return &apiError{status: http.StatusUnsupportedMediaType, code: CodeUnsupportedMediaType, msg: "Send the body as Content-Type: application/json."}
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return &apiError{status: http.StatusUnsupportedMediaType, code: CodeUnsupportedMediaType, msg: "Only UTF-8 JSON is accepted."}
		}
	}
	return nil
}

// decode reads exactly one JSON value of at most MaxBodyBytes into dst,
// refusing unknown fields. With allowEmpty an empty body leaves dst as is.
func decode(w http.ResponseWriter, r *http.Request, dst any, allowEmpty bool) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if errors.Is(err, io.EOF) && allowEmpty {
		return nil
	}
	if err == nil {
		// Exactly one value: anything but whitespace after it is refused.
		var extra json.RawMessage
		if err2 := dec.Decode(&extra); !errors.Is(err2, io.EOF) {
			err = err2
			if err == nil {
				err = errors.New("more than one JSON value")
			}
		}
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: CodePayloadTooLarge, msg: "The request body is too large."}
	}
	return &apiError{status: http.StatusBadRequest, code: CodeBadRequest, msg: badJSONMessage(err)}
}

// badJSONMessage explains a decoding error without echoing the input: a
// misplaced password must not come back in an error.
func badJSONMessage(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "The request body is not valid JSON."
	case errors.As(err, &typ):
		if typ.Field != "" {
			return "The field " + safeName(typ.Field) + " has the wrong type."
		}
		return "The request body has the wrong type."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return "Unknown field " + safeName(strings.Trim(name, `"`)) + "."
	}
	return "The request body is not one JSON object."
}

// safeName keeps a client-chosen field name short and printable.
func safeName(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r > 0x7e {
			r = '?'
		}
		out = append(out, r)
	}
	return `"` + string(out) + `"`
}
