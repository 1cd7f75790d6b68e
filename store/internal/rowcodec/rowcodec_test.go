package rowcodec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// testTimes stands for an adapter's time columns: nil for the zero time,
// and, like a TEXT column with a four-digit year, a refusal of a year
// outside 1 to 9999.
var testTimes = Times[*time.Time]{
	Encode: func(t time.Time) (*time.Time, error) {
		if t.IsZero() {
			return nil, nil
		}
		u := t.UTC()
		if y := u.Year(); y < 1 || y > 9999 {
			return nil, fmt.Errorf("year %d out of range", y)
		}
		return &u, nil
	},
	Decode: func(t *time.Time) (time.Time, error) {
		if t == nil {
			return time.Time{}, nil
		}
		return *t, nil
	},
}

// fill sets every exported field of the struct v points to, recursively, to
// a non-zero value, so that a field added to the Record later is exercised
// without this test changing.
func fill(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, seed*1000, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), seed*7+i+1)
			}
		}
	case reflect.String:
		v.SetString("s" + string(rune('a'+seed%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed%100 + 1))
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(t, v.Index(i), seed+i)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(t, s.Index(0), seed)
		fill(t, s.Index(1), seed+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, seed)
		fill(t, e, seed+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	default:
		t.Fatalf("fill: field of kind %s: teach this test and the store to keep it", v.Kind())
	}
}

// TestEncode_RoundTripsEveryField fills every field of a Record, including
// fields added to PasswordState or TokenState after the adapters were
// written, and checks the row keeps each one.
func TestEncode_RoundTripsEveryField(t *testing.T) {
	var want profile.Record
	fill(t, reflect.ValueOf(&want).Elem(), 1)
	w, err := Encode(want, testTimes)
	require.NoError(t, err)
	got, err := Decode(w, testTimes)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestEncode_TypedColumnsCoverRecord fails when Record, Profile or
// Preferences gains a field: the typed columns map those field by field
// and a new one needs a column (and a migration), or it would be lost.
func TestEncode_TypedColumnsCoverRecord(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		for f := range reflect.TypeOf(v).Fields() {
			out = append(out, f.Name)
		}
		return out
	}
	assert.Equal(t, []string{"UserID", "Revision", "ProfileVersion", "Profile", "Preferences", "Password", "Token", "CreatedAt", "UpdatedAt"}, fields(profile.Record{}))
	assert.Equal(t, []string{"FirstName", "LastName", "Email", "Username", "Attributes"}, fields(profile.Profile{}))
	assert.Equal(t, []string{"Language"}, fields(profile.Preferences{}))
}

// TestEncode_TokenDigestHasItsOwnColumn checks the token JSON leaves the
// digest to the indexed column.
func TestEncode_TokenDigestHasItsOwnColumn(t *testing.T) {
	var r profile.Record
	r.Token.Digest[0] = 1
	r.Token.KeyID = "k1"
	w, err := Encode(r, testTimes)
	require.NoError(t, err)
	assert.NotContains(t, w.Token, "Digest")
	assert.Contains(t, w.Token, `"KeyID":"k1"`)
	assert.Equal(t, r.Token.Digest[:], w.TokenDigest)
	assert.Equal(t, r.Token.Digest[:], w.Args()[10], "token_digest is the 11th column")
}

// TestEncode_ZeroTimesAndTokenAreNull checks a record without times or
// token binds NULL for them: an untyped nil for the digest, which every
// driver sends as NULL, and the adapter's NULL for the times.
func TestEncode_ZeroTimesAndTokenAreNull(t *testing.T) {
	w, err := Encode(profile.Record{UserID: "u"}, testTimes)
	require.NoError(t, err)
	assert.Nil(t, w.TokenDigest)
	assert.Nil(t, w.CreatedAt)
	assert.Nil(t, w.UpdatedAt)
	args := w.Args()
	require.Len(t, args, 14)
	assert.True(t, args[10] == nil, "token_digest binds as untyped nil, not %#v", args[10])
}

// TestRow_ArgsAndDestFollowColumns checks that Args and Dest list the
// fields in the order of Columns, so a row scanned from Args' values is the
// row again.
func TestRow_ArgsAndDestFollowColumns(t *testing.T) {
	var rec profile.Record
	fill(t, reflect.ValueOf(&rec).Elem(), 3)
	w, err := Encode(rec, testTimes)
	require.NoError(t, err)
	var got Row[*time.Time]
	dest, args := got.Dest(), w.Args()
	require.Len(t, dest, len(args))
	require.Len(t, args, len(strings.Split(Columns, ",")))
	for i := range args {
		reflect.ValueOf(dest[i]).Elem().Set(reflect.ValueOf(args[i]))
	}
	assert.Equal(t, w, got)
}

// TestDecode_RefusesBadColumns checks that a column that does not hold its
// Go type, or a digest of the wrong length, is an error naming the column.
func TestDecode_RefusesBadColumns(t *testing.T) {
	good, err := Encode(profile.Record{UserID: "u"}, testTimes)
	require.NoError(t, err)
	tests := []struct {
		name string
		edit func(w *Row[*time.Time])
		want string
	}{
		{"attributes", func(w *Row[*time.Time]) { w.Attributes = "[1]" }, "attributes"},
		{"password", func(w *Row[*time.Time]) { w.Password = "{" }, "password state"},
		{"token", func(w *Row[*time.Time]) { w.Token = "1" }, "token state"},
		{"digest", func(w *Row[*time.Time]) { w.TokenDigest = []byte{1, 2} }, "token digest: 2 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good
			tt.edit(&w)
			_, err := Decode(w, testTimes)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
