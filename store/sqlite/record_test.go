package sqlite

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// The record codec shared with store/postgres is tested in
// store/internal/rowcodec; these tests cover what is SQLite's: times as
// RFC 3339 text with microseconds, NULL for the zero time.

// TestEncode_ZeroTimesAreNull checks the zero time is stored as NULL text.
func TestEncode_ZeroTimesAreNull(t *testing.T) {
	w, err := encode(profile.Record{UserID: "u"})
	require.NoError(t, err)
	assert.False(t, w.CreatedAt.Valid)
	assert.False(t, w.UpdatedAt.Valid)
}

// TestEncode_TimesRoundTripInUTC checks a time keeps its instant to the
// microsecond, comes back in UTC, and is stored as sortable UTC text.
func TestEncode_TimesRoundTripInUTC(t *testing.T) {
	zurich := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   time.Time
		text string
	}{
		{"utc", time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC), "2026-01-02T03:04:05.123456Z"},
		{"zone", time.Date(2026, 1, 2, 4, 4, 5, 0, zurich), "2026-01-02T03:04:05.000000Z"},
		{"first year", time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC), "0001-01-01T00:00:00.000001Z"},
		{"last year", time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), "9999-12-31T23:59:59.999999Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := encode(profile.Record{UserID: "u", CreatedAt: tt.in, UpdatedAt: tt.in})
			require.NoError(t, err)
			assert.Equal(t, tt.text, w.CreatedAt.String)
			assert.True(t, w.CreatedAt.Valid)
			got, err := decode(w)
			require.NoError(t, err)
			assert.Equal(t, tt.in.UTC(), got.CreatedAt)
			assert.Equal(t, tt.in.UTC(), got.UpdatedAt)
		})
	}
}

// TestEncode_YearOutOfRangeIsRefused checks a time the four-digit year of
// the text column cannot hold is an error, not a wrong row.
func TestEncode_YearOutOfRangeIsRefused(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		_, err := encode(profile.Record{UserID: "u", UpdatedAt: at})
		assert.ErrorContains(t, err, "updated_at: year")
	}
}

func TestDecode_BadTimeTextIsRefused(t *testing.T) {
	w, err := encode(profile.Record{UserID: "u"})
	require.NoError(t, err)
	w.CreatedAt.String, w.CreatedAt.Valid = "yesterday", true
	_, err = decode(w)
	assert.ErrorContains(t, err, "created_at")
}

// FuzzTime_RoundTrip checks that any time either maps to the text column
// and back to the same instant in UTC at microsecond precision, or is
// refused for its year, and never panics.
func FuzzTime_RoundTrip(f *testing.F) {
	f.Add(int64(1_700_000_000_123_456), 0)
	f.Add(int64(-62135596800000000), 3600)
	f.Add(int64(253402300800000000), -60)
	f.Fuzz(func(t *testing.T, micros int64, offset int) {
		in := time.UnixMicro(micros).In(time.FixedZone("z", offset%(24*3600)))
		s, err := encodeTime(in)
		if err != nil {
			assert.ErrorContains(t, err, "year")
			y := in.UTC().Year()
			assert.True(t, y < 1 || y > 9999, "year %d refused", y)
			return
		}
		if in.IsZero() {
			assert.False(t, s.Valid)
			return
		}
		got, err := decodeTime(s)
		require.NoError(t, err)
		assert.Equal(t, in.UTC(), got)
	})
}
