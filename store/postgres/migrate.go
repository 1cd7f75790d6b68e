package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	sqlschema "github.com/profilekit/profile/store/internal/schema"
)

// migrations holds the schema, one file per version: NNNN_name.sql.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate brings the schema up to date in one transaction that first takes
// a transaction-scoped advisory lock for the schema: a second instance
// starting at once waits for it and then finds the schema current, so
// migrating is idempotent and safe to race.
func (s *Store) migrate(ctx context.Context, schema string) error {
	ms, err := sqlschema.Load(migrations, "migrations")
	if err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(schema)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if schema != "" {
		id := pgx.Identifier{schema}.Sanitize()
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+id); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		// The migrations name their tables unqualified.
		if _, err := tx.Exec(ctx, `SET LOCAL search_path TO `+id); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS profile_schema_version (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM profile_schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	pending, err := sqlschema.Pending(ms, current)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(pending) == 0 {
		return nil
	}
	for _, m := range pending {
		// No arguments: the simple protocol, which runs every statement of
		// the file.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: %s: %w", m.Name, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM profile_schema_version`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO profile_schema_version (version) VALUES ($1)`, len(ms)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
