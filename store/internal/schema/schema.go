// Package schema reads the numbered SQL migrations of the SQL store
// adapters (store/sqlite and store/postgres) and tells which of them a
// database still needs. Running them, in a transaction and under a lock,
// is each adapter's, in its own dialect and driver.
//
// The functions of this package are safe for concurrent use.
package schema

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one schema version.
type Migration struct {
	Version int    // 1, 2, 3, ...
	Name    string // the file name, NNNN_name.sql
	SQL     string // the file's statements
}

// Load returns the migrations in fsys, the files dir/NNNN_name.sql, in
// version order. It fails when a file name does not start with a positive
// version number, when the versions are not 1, 2, 3, ... without gaps, or
// when a file cannot be read.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, dir+"/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version number", base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must be 1, 2, 3, ... without gaps", m.Name)
		}
	}
	return out, nil
}

// Pending returns the migrations of ms, as Load returns them, that a
// database at schema version current still needs: none when it is current.
// It fails when current is newer than the last of ms.
func Pending(ms []Migration, current int) ([]Migration, error) {
	if current > len(ms) {
		return nil, fmt.Errorf("schema version %d is newer than this package's %d", current, len(ms))
	}
	return ms[current:], nil
}
