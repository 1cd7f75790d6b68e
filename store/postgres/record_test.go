package postgres

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// TestEncode_TimesAreUTCMicroseconds checks a time is bound in UTC at the
// microsecond precision timestamptz keeps, and decodes to the same instant
// in UTC.
func TestEncode_TimesAreUTCMicroseconds(t *testing.T) {
	in := time.Date(2026, 1, 2, 4, 4, 5, 123456789, time.FixedZone("CET", 3600))
	want := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
	w, err := encode(profile.Record{UserID: "u", CreatedAt: in, UpdatedAt: in})
	require.NoError(t, err)
	require.NotNil(t, w.CreatedAt)
	require.NotNil(t, w.UpdatedAt)
	assert.Equal(t, want, *w.CreatedAt)
	assert.Equal(t, want, *w.UpdatedAt)
	got, err := decode(w)
	require.NoError(t, err)
	assert.Equal(t, want, got.CreatedAt)
	assert.Equal(t, want, got.UpdatedAt)
}

// TestEncode_ZeroTimeIsNilTimestamp checks the zero time binds as a nil
// *time.Time, NULL in timestamptz, and comes back as the zero time. The
// rest of the codec, shared with store/sqlite, is tested in
// store/internal/rowcodec.
func TestEncode_ZeroTimeIsNilTimestamp(t *testing.T) {
	w, err := encode(profile.Record{UserID: "u"})
	require.NoError(t, err)
	assert.Nil(t, w.CreatedAt)
	assert.Nil(t, w.UpdatedAt)
	got, err := decode(w)
	require.NoError(t, err)
	assert.True(t, got.CreatedAt.IsZero())
	assert.True(t, got.UpdatedAt.IsZero())
}
