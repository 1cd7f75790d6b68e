package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/profilekit/profile"
)

// row is a profile.Record in column form, in the order of columns.
type row struct {
	userID         string
	revision       int64
	profileVersion int64
	firstName      string
	lastName       string
	email          string
	username       string
	attributes     string
	language       string
	password       string
	tokenDigest    []byte
	token          string
	createdAt      sql.NullString
	updatedAt      sql.NullString
}

// columns lists the columns of profile_records in the order of row.
const columns = `user_id, revision, profile_version, first_name, last_name, email, username,
	attributes, language, password, token_digest, token, created_at, updated_at`

// args returns the row's values in the order of columns.
func (w *row) args() []any {
	var digest any // a nil []byte would bind as an empty blob, not NULL
	if w.tokenDigest != nil {
		digest = w.tokenDigest
	}
	return []any{w.userID, w.revision, w.profileVersion, w.firstName, w.lastName, w.email, w.username,
		w.attributes, w.language, w.password, digest, w.token, w.createdAt, w.updatedAt}
}

// dest returns pointers to the row's fields in the order of columns.
func (w *row) dest() []any {
	return []any{&w.userID, &w.revision, &w.profileVersion, &w.firstName, &w.lastName, &w.email, &w.username,
		&w.attributes, &w.language, &w.password, &w.tokenDigest, &w.token, &w.createdAt, &w.updatedAt}
}

// timeLayout keeps microseconds, the precision the Store contract asks for,
// and sorts lexically in UTC.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// checkUTF8 reports the first string in v, a struct, map, slice or string
// at any depth, that is not valid UTF-8: JSON would silently replace its
// bad bytes, and the contract is to store every field exactly.
func checkUTF8(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return fmt.Errorf("%s: invalid UTF-8", path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if err := checkUTF8(v.Field(i), path+"."+f.Name); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, stored as they are
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkUTF8(v.Index(i), path); err != nil {
				return err
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if err := checkUTF8(it.Key(), path); err != nil {
				return err
			}
			if err := checkUTF8(it.Value(), path); err != nil {
				return err
			}
		}
	}
	return nil
}

// encode maps r to a row. It fails for a string that is not valid UTF-8 and
// for a time the layout cannot hold.
func encode(r profile.Record) (row, error) {
	if err := checkUTF8(reflect.ValueOf(r), "Record"); err != nil {
		return row{}, err
	}
	w := row{
		userID:         r.UserID,
		revision:       r.Revision,
		profileVersion: r.ProfileVersion,
		firstName:      r.Profile.FirstName,
		lastName:       r.Profile.LastName,
		email:          r.Profile.Email,
		username:       r.Profile.Username,
		language:       r.Preferences.Language,
	}
	attrs := r.Profile.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return row{}, fmt.Errorf("attributes: %w", err)
	}
	w.attributes = string(b)
	if b, err = json.Marshal(r.Password); err != nil {
		return row{}, fmt.Errorf("password state: %w", err)
	}
	w.password = string(b)
	if w.token, err = tokenJSON(r.Token); err != nil {
		return row{}, err
	}
	if !r.Token.Digest.IsZero() {
		w.tokenDigest = append([]byte(nil), r.Token.Digest[:]...)
	}
	if w.createdAt, err = encodeTime(r.CreatedAt); err != nil {
		return row{}, fmt.Errorf("created_at: %w", err)
	}
	if w.updatedAt, err = encodeTime(r.UpdatedAt); err != nil {
		return row{}, fmt.Errorf("updated_at: %w", err)
	}
	return w, nil
}

// tokenJSON returns the JSON of t without its digest, which has its own
// indexed column. Every other field of profile.TokenState, present or
// future, is kept.
func tokenJSON(t profile.TokenState) (string, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return "", fmt.Errorf("token state: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("token state: %w", err)
	}
	delete(m, "Digest")
	if b, err = json.Marshal(m); err != nil {
		return "", fmt.Errorf("token state: %w", err)
	}
	return string(b), nil
}

func encodeTime(t time.Time) (sql.NullString, error) {
	if t.IsZero() {
		return sql.NullString{}, nil
	}
	u := t.UTC()
	if y := u.Year(); y < 1 || y > 9999 {
		return sql.NullString{}, fmt.Errorf("year %d out of range", y)
	}
	return sql.NullString{String: u.Format(timeLayout), Valid: true}, nil
}

func decodeTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// decode maps a row back to a record that shares nothing with the row.
func decode(w row) (profile.Record, error) {
	r := profile.Record{
		UserID:         w.userID,
		Revision:       w.revision,
		ProfileVersion: w.profileVersion,
		Profile: profile.Profile{
			FirstName: w.firstName,
			LastName:  w.lastName,
			Email:     w.email,
			Username:  w.username,
		},
		Preferences: profile.Preferences{Language: w.language},
	}
	if err := json.Unmarshal([]byte(w.attributes), &r.Profile.Attributes); err != nil {
		return profile.Record{}, fmt.Errorf("attributes: %w", err)
	}
	if len(r.Profile.Attributes) == 0 {
		r.Profile.Attributes = nil
	}
	if err := json.Unmarshal([]byte(w.password), &r.Password); err != nil {
		return profile.Record{}, fmt.Errorf("password state: %w", err)
	}
	if err := json.Unmarshal([]byte(w.token), &r.Token); err != nil {
		return profile.Record{}, fmt.Errorf("token state: %w", err)
	}
	r.Token.Digest = profile.TokenDigest{}
	if w.tokenDigest != nil {
		if len(w.tokenDigest) != len(r.Token.Digest) {
			return profile.Record{}, fmt.Errorf("token digest: %d bytes, want %d", len(w.tokenDigest), len(r.Token.Digest))
		}
		copy(r.Token.Digest[:], w.tokenDigest)
	}
	var err error
	if r.CreatedAt, err = decodeTime(w.createdAt); err != nil {
		return profile.Record{}, fmt.Errorf("created_at: %w", err)
	}
	if r.UpdatedAt, err = decodeTime(w.updatedAt); err != nil {
		return profile.Record{}, fmt.Errorf("updated_at: %w", err)
	}
	return r, nil
}
