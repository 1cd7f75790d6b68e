// Command webapp is a small host application serving a real My Profile page
// over httpapi and a persistent store, with a demo login that picks one of
// four seeded users:
//
//   - alice: a local account (password "Harbor-Light-2026"), every tab
//   - bob: signs in through SSO (Okta), which also owns his email address
//   - carol: her administrator disabled the API Token tab
//   - dieter: his language is German
//
// Run it with
//
//	go run ./examples/webapp [-addr 127.0.0.1:8080] [-db /path/profiles.db]
//
// (or PROFILE_ADDR and PROFILE_DB in the environment) and open the printed
// address. Without -db the data lives in a temporary file removed on exit.
//
// The login and the in-memory session map are a demo: a real host brings
// its own authentication and passes the signed-in user to httpapi through
// Options.UserID.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "webapp:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", envOr("PROFILE_ADDR", "127.0.0.1:8080"), "listen address (env PROFILE_ADDR)")
	db := flag.String("db", os.Getenv("PROFILE_DB"), "SQLite database file (env PROFILE_DB); empty: a temporary file")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	path := *db
	if path == "" {
		dir, err := os.MkdirTemp("", "profilekit-webapp-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "profiles.db")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	app, err := NewApp(ctx, Config{DBPath: path, Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("My Profile demo on http://%s/ (data in %s)\n", ln.Addr(), path)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
