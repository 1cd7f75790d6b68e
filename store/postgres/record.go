package postgres

import (
	"time"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/internal/rowcodec"
)

// row is a profile.Record in column form, its times as timestamptz, nil for
// the zero time.
type row = rowcodec.Row[*time.Time]

// columns lists the columns of profile_records in the order of row.
const columns = rowcodec.Columns

// times maps the timestamptz columns; it never fails.
var times = rowcodec.Times[*time.Time]{
	Encode: func(t time.Time) (*time.Time, error) { return encodeTime(t), nil },
	Decode: func(t *time.Time) (time.Time, error) { return decodeTime(t), nil },
}

// encode maps r to a row. It fails for a string that is not valid UTF-8.
func encode(r profile.Record) (row, error) { return rowcodec.Encode(r, times) }

// decode maps a row back to a record that shares nothing with the row.
func decode(w row) (profile.Record, error) { return rowcodec.Decode(w, times) }

// encodeTime returns nil for the zero time, else t in UTC truncated to the
// microseconds timestamptz keeps.
func encodeTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

func decodeTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
