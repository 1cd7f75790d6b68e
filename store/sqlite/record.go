package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/internal/rowcodec"
)

// row is a profile.Record in column form, its times as RFC 3339 text, NULL
// for the zero time.
type row = rowcodec.Row[sql.NullString]

// columns lists the columns of profile_records in the order of row.
const columns = rowcodec.Columns

// timeLayout keeps microseconds, the precision the Store contract asks for,
// and sorts lexically in UTC.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// times maps the TEXT time columns.
var times = rowcodec.Times[sql.NullString]{Encode: encodeTime, Decode: decodeTime}

// encode maps r to a row. It fails for a string that is not valid UTF-8 and
// for a time the layout cannot hold.
func encode(r profile.Record) (row, error) { return rowcodec.Encode(r, times) }

// decode maps a row back to a record that shares nothing with the row.
func decode(w row) (profile.Record, error) { return rowcodec.Decode(w, times) }

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
