package sqlite

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

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
// fields added to PasswordState or TokenState after this adapter was
// written, and checks the row keeps each one.
func TestEncode_RoundTripsEveryField(t *testing.T) {
	var want profile.Record
	fill(t, reflect.ValueOf(&want).Elem(), 1)
	w, err := encode(want)
	require.NoError(t, err)
	got, err := decode(w)
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
	w, err := encode(r)
	require.NoError(t, err)
	assert.NotContains(t, w.token, "Digest")
	assert.Contains(t, w.token, `"KeyID":"k1"`)
	assert.Equal(t, r.Token.Digest[:], w.tokenDigest)
}

func TestEncode_ZeroTimesAndTokenAreNull(t *testing.T) {
	w, err := encode(profile.Record{UserID: "u"})
	require.NoError(t, err)
	assert.Nil(t, w.tokenDigest)
	assert.False(t, w.createdAt.Valid)
	assert.False(t, w.updatedAt.Valid)
}
