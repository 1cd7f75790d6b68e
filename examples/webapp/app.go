package main

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sync"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/httpapi"
)

//go:embed web
var webFS embed.FS

// apiPrefix is where the My Profile API is mounted.
const apiPrefix = "/api/profile"

// Config configures an App.
type Config struct {
	// DBPath is the SQLite database file; it is created when missing.
	DBPath string
	// TokenKey seals API tokens so that they can be copied later (32
	// bytes). Nil: PROFILE_TOKEN_KEY (hex) from the environment, else a key
	// file beside the database, created on first run.
	TokenKey []byte
	// Logger receives the API's failure lines. Nil: discarded.
	Logger *slog.Logger
}

// App is the demo host: a login, the My Profile page, the API and one
// integration endpoint protected by the user's API token.
type App struct {
	svc     *profile.Service
	close   func() error
	mux     *http.ServeMux
	tmpl    *template.Template
	cop     *http.CrossOriginProtection
	mu      sync.Mutex
	session map[string]string // session ID -> user ID (demo only)
}

// The seeded users: what the demo shows.
type seedUser struct {
	id       string
	profile  profile.Profile
	password string // empty: no password here (SSO)
	language string // empty: the default language
	token    bool   // give the user an API token
	note     string // shown on the login page
}

var seeds = []seedUser{
	{"alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com", Username: "alice"}, "Harbor-Light-2026", "", true, "local account, every tab"},
	{"bob", profile.Profile{FirstName: "Bob", LastName: "Stone", Email: "bob@corp.example"}, "", "", false, "signs in through SSO (Okta)"},
	{"carol", profile.Profile{FirstName: "Carol", LastName: "Diaz", Email: "carol@example.com"}, "Maple-Stream-2026", "", false, "API Token tab disabled by her administrator"},
	{"dieter", profile.Profile{FirstName: "Dieter", LastName: "Müller", Email: "dieter@example.de"}, "Linden-Baum-2026", "de", true, "prefers German"},
}

// identity says bob signs in through Okta, which owns his email.
var identity = profile.IdentityFunc(func(_ context.Context, userID string) (profile.Identity, error) {
	if userID == "bob" {
		return profile.Identity{SSO: true, Provider: "Okta", Managed: []string{profile.FieldEmail}}, nil
	}
	return profile.Identity{}, nil
})

// policyFor is the administrator's decision: every tab on, a digit and an
// uppercase letter in every password, and carol's API Token tab off.
func policyFor(_ context.Context, userID string) (profile.Policy, error) {
	p := profile.DefaultPolicy()
	p.Features = profile.AllFeatures()
	p.Password.MinDigit = 1
	p.Password.MinUpper = 1
	p.Password.History = 3
	if userID == "carol" {
		p.Features.APIToken = false
	}
	return p, nil
}

// NewApp opens the store, seeds the demo users when missing and returns
// the application's handler.
func NewApp(ctx context.Context, cfg Config) (*App, error) {
	key, err := tokenKey(cfg)
	if err != nil {
		return nil, err
	}
	store, closeStore, err := openStore(ctx, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	svc, err := profile.New(profile.Config{
		Store:     store,
		Identity:  identity,
		PolicyFor: policyFor,
		TokenKeys: []profile.TokenKey{{ID: "demo", Key: key}},
	})
	if err != nil {
		_ = closeStore()
		return nil, err
	}
	if err := seed(ctx, svc); err != nil {
		_ = closeStore()
		return nil, err
	}
	tmpl, err := template.ParseFS(webFS, "web/*.html")
	if err != nil {
		_ = closeStore()
		return nil, err
	}
	a := &App{svc: svc, close: closeStore, mux: http.NewServeMux(), tmpl: tmpl, cop: http.NewCrossOriginProtection(), session: map[string]string{}}

	static, _ := fs.Sub(webFS, "web/static")
	a.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	a.mux.HandleFunc("GET /{$}", a.page)
	a.mux.HandleFunc("GET /login", a.loginPage)
	a.mux.Handle("POST /login", a.cop.Handler(http.HandlerFunc(a.login)))
	a.mux.Handle("POST /logout", a.cop.Handler(http.HandlerFunc(a.logout)))
	a.mux.Handle(apiPrefix+"/", httpapi.New(svc, httpapi.Options{
		UserID: a.userID,
		Logger: cfg.Logger,
		Prefix: apiPrefix,
	}))
	// An integration endpoint: what a script calls with the API token.
	a.mux.Handle("GET /api/whoami", httpapi.RequireToken(svc, http.HandlerFunc(whoami)))
	return a, nil
}

// Service returns the App's profile service.
func (a *App) Service() *profile.Service { return a.svc }

// Close closes the store.
func (a *App) Close() error { return a.close() }

// ServeHTTP serves the application with a few protective headers.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	a.mux.ServeHTTP(w, r)
}

// tokenKey returns the key that seals API tokens.
func tokenKey(cfg Config) ([]byte, error) {
	if cfg.TokenKey != nil {
		return cfg.TokenKey, nil
	}
	if v := os.Getenv("PROFILE_TOKEN_KEY"); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) != 32 {
			return nil, errors.New("PROFILE_TOKEN_KEY must be 64 hex digits")
		}
		return k, nil
	}
	path := cfg.DBPath + ".key"
	if b, err := os.ReadFile(path); err == nil {
		k, err := hex.DecodeString(string(b))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("%s: not a 64-hex-digit key", path)
		}
		return k, nil
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(k)), 0o600); err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	return k, nil
}

// seed creates the demo users that do not exist yet.
func seed(ctx context.Context, svc *profile.Service) error {
	for _, s := range seeds {
		err := svc.CreateUser(ctx, s.id, s.profile)
		if errors.Is(err, profile.ErrExists) {
			continue
		}
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.id, err)
		}
		if s.password != "" {
			if err := svc.SetPassword(ctx, s.id, s.password); err != nil {
				return fmt.Errorf("seed %s: password: %w", s.id, err)
			}
		}
		if s.language != "" {
			if _, err := svc.SetLanguage(ctx, s.id, s.language); err != nil {
				return fmt.Errorf("seed %s: language: %w", s.id, err)
			}
		}
		if s.token {
			if _, err := svc.RegenerateToken(ctx, s.id); err != nil {
				return fmt.Errorf("seed %s: token: %w", s.id, err)
			}
		}
	}
	return nil
}

// --- demo sessions -------------------------------------------------------

const sessionCookie = "profilekit_demo_session"

// userID is httpapi's Options.UserID: the user of the request's session.
func (a *App) userID(r *http.Request) (string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", errors.New("no session cookie")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id, ok := a.session[c.Value]
	if !ok {
		return "", errors.New("unknown session")
	}
	return id, nil
}

func (a *App) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	user := r.PostFormValue("user")
	if !slices.ContainsFunc(seeds, func(s seedUser) bool { return s.id == user }) {
		http.Error(w, "unknown demo user", http.StatusBadRequest)
		return
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	sid := hex.EncodeToString(b)
	a.mu.Lock()
	a.session[sid] = user
	a.mu.Unlock()
	// Not Secure: the demo serves plain HTTP on the loopback interface.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		delete(a.session, c.Value)
		a.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// --- pages ---------------------------------------------------------------

type loginUser struct{ ID, Name, Note string }

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	var users []loginUser
	for _, s := range seeds {
		users = append(users, loginUser{ID: s.id, Name: s.profile.FirstName + " " + s.profile.LastName, Note: s.note})
	}
	a.render(w, "login.html", struct{ Users []loginUser }{users})
}

// field is one input of the Personal Information Details form.
type field struct {
	Key, Label, Value, Type string
	ReadOnly                bool
}

// pageData is what page.html renders.
type pageData struct {
	L         map[string]string
	Lang      string
	UserID    string
	Page      profile.Page
	Fields    []field
	Languages []profile.LanguageOption
	Tabs      []tabData
	API       string
}

type tabData struct {
	ID    profile.Tab
	Label string
}

func (a *App) page(w http.ResponseWriter, r *http.Request) {
	userID, err := a.userID(r)
	if err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	pg, err := a.svc.Page(ctx, userID)
	if err != nil {
		status := http.StatusInternalServerError
		switch {
		case errors.Is(err, profile.ErrFeatureDisabled):
			status = http.StatusForbidden
		case errors.Is(err, profile.ErrNotFound):
			status = http.StatusNotFound
		}
		lang := a.svc.ResolveLanguage(ctx, userID, r.Header.Get("Accept-Language"))
		http.Error(w, a.svc.Message(lang, err), status)
		return
	}
	d := pageData{L: a.svc.Labels(pg.Language), Lang: pg.Language, UserID: userID, Page: pg, API: apiPrefix}
	for _, t := range pg.Tabs {
		d.Tabs = append(d.Tabs, tabData{ID: t, Label: d.L["ui.tab."+string(t)]})
	}
	if v := pg.PersonalInfo; v != nil {
		ro := func(k string) bool { return slices.Contains(v.ReadOnly, k) }
		d.Fields = []field{
			{Key: profile.FieldFirstName, Label: d.L["ui.field.first_name"], Value: v.Profile.FirstName, Type: "text", ReadOnly: ro(profile.FieldFirstName)},
			{Key: profile.FieldLastName, Label: d.L["ui.field.last_name"], Value: v.Profile.LastName, Type: "text", ReadOnly: ro(profile.FieldLastName)},
			{Key: profile.FieldEmail, Label: d.L["ui.field.email"], Value: v.Profile.Email, Type: "email", ReadOnly: ro(profile.FieldEmail)},
		}
		if v.Profile.Username != "" {
			d.Fields = append(d.Fields, field{Key: profile.FieldUsername, Label: d.L["ui.field.username"], Value: v.Profile.Username, Type: "text", ReadOnly: ro(profile.FieldUsername)})
		}
	}
	if pg.Preferences != nil {
		opts, err := a.svc.Languages(ctx, userID)
		if err != nil {
			http.Error(w, a.svc.Message(pg.Language, err), http.StatusInternalServerError)
			return
		}
		d.Languages = opts
	}
	a.render(w, "page.html", d)
}

func (a *App) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.tmpl.ExecuteTemplate(w, name, data); err != nil {
		http.Error(w, "template error", http.StatusInternalServerError)
	}
}

// whoami is the demo integration endpoint: it answers the token's user.
func whoami(w http.ResponseWriter, r *http.Request) {
	userID, _ := httpapi.UserFromContext(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"user_id": userID})
}
