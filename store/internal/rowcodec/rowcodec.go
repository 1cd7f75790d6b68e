// Package rowcodec maps a profile.Record to the row of the profile_records
// table and back, for the SQL store adapters (store/sqlite and
// store/postgres), which share the table's columns but not their types.
//
// What is the same in every adapter lives here: the column list, the typed
// columns of Record, Profile and Preferences, the UTF-8 check, and the JSON
// of the attributes, of profile.PasswordState and of profile.TokenState
// without its digest (which has its own indexed column). What differs stays
// in the adapter: the Go type of the two time columns (T) and how a time is
// encoded into it, the SQL dialect, and the mapping of driver errors.
//
// The functions of this package are safe for concurrent use.
package rowcodec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/profilekit/profile"
)

// Columns lists the columns of profile_records in the order of Row's
// fields, and of Row.Args and Row.Dest.
const Columns = `user_id, revision, profile_version, first_name, last_name, email, username,
	attributes, language, password, token_digest, token, created_at, updated_at`

// Row is a profile.Record in column form, in the order of Columns. T is
// the adapter's type of the created_at and updated_at columns.
type Row[T any] struct {
	UserID         string
	Revision       int64
	ProfileVersion int64
	FirstName      string
	LastName       string
	Email          string
	Username       string
	Attributes     string
	Language       string
	Password       string
	TokenDigest    []byte
	Token          string
	CreatedAt      T
	UpdatedAt      T
}

// Times encodes a time into an adapter's time column type T and back.
// Encode returns T's NULL for the zero time and may refuse a time the
// column cannot hold; Decode returns the zero time for NULL.
type Times[T any] struct {
	Encode func(time.Time) (T, error)
	Decode func(T) (time.Time, error)
}

// DigestArg returns the token digest as a statement argument: nil, which
// every driver binds as NULL, when there is none (a nil []byte would bind as
// an empty blob in some drivers, not as NULL).
func (w *Row[T]) DigestArg() any {
	if w.TokenDigest == nil {
		return nil
	}
	return w.TokenDigest
}

// Args returns the row's values in the order of Columns.
func (w *Row[T]) Args() []any {
	return []any{w.UserID, w.Revision, w.ProfileVersion, w.FirstName, w.LastName, w.Email, w.Username,
		w.Attributes, w.Language, w.Password, w.DigestArg(), w.Token, w.CreatedAt, w.UpdatedAt}
}

// Dest returns pointers to the row's fields in the order of Columns.
func (w *Row[T]) Dest() []any {
	return []any{&w.UserID, &w.Revision, &w.ProfileVersion, &w.FirstName, &w.LastName, &w.Email, &w.Username,
		&w.Attributes, &w.Language, &w.Password, &w.TokenDigest, &w.Token, &w.CreatedAt, &w.UpdatedAt}
}

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

// Encode maps r to a row, its times through times.Encode. It fails for a
// string that is not valid UTF-8 and for a time times.Encode refuses; the
// error holds no field's value.
func Encode[T any](r profile.Record, times Times[T]) (Row[T], error) {
	if err := checkUTF8(reflect.ValueOf(r), "Record"); err != nil {
		return Row[T]{}, err
	}
	w := Row[T]{
		UserID:         r.UserID,
		Revision:       r.Revision,
		ProfileVersion: r.ProfileVersion,
		FirstName:      r.Profile.FirstName,
		LastName:       r.Profile.LastName,
		Email:          r.Profile.Email,
		Username:       r.Profile.Username,
		Language:       r.Preferences.Language,
	}
	attrs := r.Profile.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return Row[T]{}, fmt.Errorf("attributes: %w", err)
	}
	w.Attributes = string(b)
	if b, err = json.Marshal(r.Password); err != nil {
		return Row[T]{}, fmt.Errorf("password state: %w", err)
	}
	w.Password = string(b)
	if w.Token, err = tokenJSON(r.Token); err != nil {
		return Row[T]{}, err
	}
	if !r.Token.Digest.IsZero() {
		w.TokenDigest = append([]byte(nil), r.Token.Digest[:]...)
	}
	if w.CreatedAt, err = times.Encode(r.CreatedAt); err != nil {
		return Row[T]{}, fmt.Errorf("created_at: %w", err)
	}
	if w.UpdatedAt, err = times.Encode(r.UpdatedAt); err != nil {
		return Row[T]{}, fmt.Errorf("updated_at: %w", err)
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

// Decode maps a row back to a record that shares nothing with the row, its
// times through times.Decode. It fails for a JSON column that does not hold
// its Go type, for a token digest of the wrong length, and for a time
// times.Decode refuses.
func Decode[T any](w Row[T], times Times[T]) (profile.Record, error) {
	r := profile.Record{
		UserID:         w.UserID,
		Revision:       w.Revision,
		ProfileVersion: w.ProfileVersion,
		Profile: profile.Profile{
			FirstName: w.FirstName,
			LastName:  w.LastName,
			Email:     w.Email,
			Username:  w.Username,
		},
		Preferences: profile.Preferences{Language: w.Language},
	}
	if err := json.Unmarshal([]byte(w.Attributes), &r.Profile.Attributes); err != nil {
		return profile.Record{}, fmt.Errorf("attributes: %w", err)
	}
	if len(r.Profile.Attributes) == 0 {
		r.Profile.Attributes = nil
	}
	if err := json.Unmarshal([]byte(w.Password), &r.Password); err != nil {
		return profile.Record{}, fmt.Errorf("password state: %w", err)
	}
	if err := json.Unmarshal([]byte(w.Token), &r.Token); err != nil {
		return profile.Record{}, fmt.Errorf("token state: %w", err)
	}
	r.Token.Digest = profile.TokenDigest{}
	if w.TokenDigest != nil {
		if len(w.TokenDigest) != len(r.Token.Digest) {
			return profile.Record{}, fmt.Errorf("token digest: %d bytes, want %d", len(w.TokenDigest), len(r.Token.Digest))
		}
		copy(r.Token.Digest[:], w.TokenDigest)
	}
	var err error
	if r.CreatedAt, err = times.Decode(w.CreatedAt); err != nil {
		return profile.Record{}, fmt.Errorf("created_at: %w", err)
	}
	if r.UpdatedAt, err = times.Decode(w.UpdatedAt); err != nil {
		return profile.Record{}, fmt.Errorf("updated_at: %w", err)
	}
	return r, nil
}
