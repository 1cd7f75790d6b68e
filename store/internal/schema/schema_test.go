package schema

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func file(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }

func TestLoad_ReturnsMigrationsInVersionOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_email.sql":   file("CREATE INDEX e;"),
		"m/0001_records.sql": file("CREATE TABLE r;"),
		"m/README.md":        file("not a migration"),
	}
	ms, err := Load(fsys, "m")
	require.NoError(t, err)
	assert.Equal(t, []Migration{
		{Version: 1, Name: "0001_records.sql", SQL: "CREATE TABLE r;"},
		{Version: 2, Name: "0002_email.sql", SQL: "CREATE INDEX e;"},
	}, ms)
}

func TestLoad_RefusesBadNamesAndGaps(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no number", fstest.MapFS{"m/records.sql": file("")}, "migration records.sql: name must start with a positive version number"},
		{"zero", fstest.MapFS{"m/0000_records.sql": file("")}, "migration 0000_records.sql: name must start"},
		{"gap", fstest.MapFS{"m/0001_a.sql": file(""), "m/0003_c.sql": file("")}, "migration 0003_c.sql: versions must be 1, 2, 3, ... without gaps"},
		{"twice", fstest.MapFS{"m/0001_a.sql": file(""), "m/0001_b.sql": file("")}, "without gaps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.fsys, "m")
			assert.ErrorContains(t, err, tt.want)
			assert.Nil(t, ms)
		})
	}
}

func TestPending_ReturnsWhatTheDatabaseLacks(t *testing.T) {
	ms := []Migration{{Version: 1, Name: "0001_a.sql"}, {Version: 2, Name: "0002_b.sql"}}
	tests := []struct {
		current int
		want    []Migration
	}{
		{0, ms},
		{1, ms[1:]},
		{2, []Migration{}},
	}
	for _, tt := range tests {
		got, err := Pending(ms, tt.current)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "current %d", tt.current)
	}
}

func TestPending_NewerSchemaIsRefused(t *testing.T) {
	_, err := Pending([]Migration{{Version: 1}}, 99)
	assert.EqualError(t, err, "schema version 99 is newer than this package's 1")
}
