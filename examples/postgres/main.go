// Command postgres tells the My Profile story on PostgreSQL, whose data
// outlives the process: run it twice. The first run creates alice and saves
// her changes; the next runs find her as the last run left her. Any number
// of instances may run at once over the same database.
//
//	PROFILE_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	    go run ./examples/postgres
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/profilekit/profile/examples/internal/restart"
	"github.com/profilekit/profile/store/postgres"
)

func main() {
	url := os.Getenv("PROFILE_POSTGRES_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	ctx := context.Background()
	// The host owns the pool and shares it with the rest of its application.
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
		os.Exit(1)
	}
	defer pool.Close()
	store, err := postgres.New(ctx, pool, postgres.Config{Schema: "profilekit_example"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
		os.Exit(1)
	}
	fmt.Println("database: schema profilekit_example")
	if err := restart.Run(ctx, store, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "postgres example:", err)
		os.Exit(1)
	}
}
