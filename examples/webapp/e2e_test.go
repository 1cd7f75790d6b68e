package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

// chromiumPath is Debian's Chromium; PROFILE_CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("PROFILE_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// browserContext starts headless Chromium with a fresh profile. Without a
// browser the test fails in CI (CI=true) and is skipped elsewhere.
func browserContext(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath()
	if _, err := os.Stat(exe); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required in CI and missing at %s: %v (apt-get install -y chromium)", exe, err)
		}
		t.Skipf("Chromium not found at %s; install it with apt-get install -y chromium", exe)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser: no timeout on it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return ctx
}

// screenshotDir is PROFILE_SCREENSHOTS, or a new temporary folder that
// outlives the test so the pictures can be looked at.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PROFILE_SCREENSHOTS")
	if dir == "" {
		var err error
		dir, err = os.MkdirTemp("", "profilekit-screenshots-")
		require.NoError(t, err)
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	t.Logf("screenshots in %s", dir)
	return dir
}

// browser drives one tab with a timeout per step.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(b.t, err, js)
	return v
}

// eventually waits until the JavaScript condition is true; it tolerates
// the errors of a page that is reloading.
func (b *browser) eventually(js string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("condition never held: %s (last error: %v)", js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// login signs in through the demo login page.
func (b *browser) login(user string) {
	b.t.Helper()
	b.do(
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-"+user)),
		chromedp.Click(chromedp.ID("login-"+user)),
	)
	b.eventually(`document.querySelector("#title") !== null && document.readyState === "complete"`)
}

// grantClipboard lets the page read and write the clipboard, as a user
// who accepted the browser's prompt.
func (b *browser) grantClipboard() {
	b.t.Helper()
	c := chromedp.FromContext(b.ctx)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := cdp.Call(b.ctx, c.Browser, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name},
			Setting:    cdpbrowser.PermissionSettingGranted,
			Origin:     b.base,
		})
		require.NoError(b.t, err, name)
	}
}

// fill replaces an input's value by typing.
func (b *browser) fill(id, value string) {
	b.t.Helper()
	_ = eval[string](b, fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
	b.do(chromedp.SendKeys(chromedp.ID(id), value))
	require.Equal(b.t, value, eval[string](b, fmt.Sprintf(`document.getElementById(%q).value`, id)))
}

// shot saves a PNG of the page.
func (b *browser) shot(name string) {
	b.t.Helper()
	var png []byte
	var err error
	for range 10 { // a page that is still laying out has no size yet
		ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644))
}

// text returns an element's trimmed text content.
func (b *browser) text(sel string) string {
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? "").trim()`, sel))
}

// whoami calls the RequireToken-protected integration endpoint.
func whoamiStatus(t *testing.T, base, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/api/whoami", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		UserID string `json:"user_id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.UserID
}

// lockedWriter collects the app's log lines from concurrent handlers.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestWebApp_MyProfileInChromium(t *testing.T) {
	ctx := browserContext(t)
	dir := screenshotDir(t)

	logs := &lockedWriter{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := NewApp(context.Background(), Config{DBPath: filepath.Join(t.TempDir(), "profiles.db"), Logger: logger})
	require.NoError(t, err)
	t.Cleanup(func() { _ = app.Close() })
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)

	svc := app.Service()
	en := svc.Labels("en")
	de := svc.Labels("de")
	b := &browser{t: t, ctx: ctx, base: srv.URL, dir: dir}
	const oldPassword, newPassword = "Harbor-Light-2026", "Sunny-Harbor-7-Kites"

	t.Run("personal information: edit and save the name", func(t *testing.T) {
		b.t = t
		b.login("alice")
		assert.Equal(t, en["ui.title"], b.text("#title"))
		assert.Equal(t, []string{en["ui.tab.personal_info"], en["ui.tab.preferences"], en["ui.tab.password"], en["ui.tab.api_token"]},
			eval[[]string](b, `[...document.querySelectorAll('[role="tab"]')].map(t => t.textContent.trim())`))
		b.shot("01-personal-information")

		b.fill("field-first_name", "Alicia")
		b.do(chromedp.Click(chromedp.ID("personal-save")))
		b.eventually(fmt.Sprintf(`document.querySelector("#personal-status").textContent === %q`, en["ui.saved"]))
		v, err := svc.GetProfile(context.Background(), "alice")
		require.NoError(t, err)
		assert.Equal(t, "Alicia", v.Profile.FirstName)
		assert.Equal(t, "Martin", v.Profile.LastName)
		b.shot("02-personal-information-saved")

		// The form keeps working: a second save uses the new version.
		b.fill("field-last_name", "Martin-Durand")
		_ = eval[string](b, `document.querySelector("#personal-status").textContent = ""`)
		b.do(chromedp.Click(chromedp.ID("personal-save")))
		b.eventually(fmt.Sprintf(`document.querySelector("#personal-status").textContent === %q`, en["ui.saved"]))
		v, err = svc.GetProfile(context.Background(), "alice")
		require.NoError(t, err)
		assert.Equal(t, "Martin-Durand", v.Profile.LastName)
	})

	t.Run("password: a weak password is rejected with every message", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Click(chromedp.ID("tab-password")), chromedp.WaitVisible(chromedp.ID("password-form")))
		rules := eval[[]string](b, `[...document.querySelectorAll("#password-rules li")].map(li => li.textContent.trim())`)
		assert.NotEmpty(t, rules, "the rules are described before typing")
		b.fill("current-password", oldPassword)
		b.fill("new-password", "abc")
		b.fill("confirm-password", "abd")
		b.do(chromedp.Click(chromedp.ID("password-save")))
		b.eventually(`document.querySelectorAll("#password-errors li").length > 0`)
		msgs := eval[[]string](b, `[...document.querySelectorAll("#password-errors li")].map(li => li.textContent.trim())`)
		assert.Contains(t, msgs, "Use at least 8 characters.")
		assert.Contains(t, msgs, "Include at least 1 digit.")
		assert.Contains(t, msgs, "Include at least 1 uppercase letter.")
		assert.Contains(t, msgs, "The new password and its confirmation do not match.")
		b.shot("03-password-rejected")
		assert.NoError(t, svc.VerifyPassword(context.Background(), "alice", oldPassword), "nothing changed")
	})

	t.Run("password: a good password is accepted", func(t *testing.T) {
		b.t = t
		b.fill("current-password", oldPassword)
		b.fill("new-password", newPassword)
		b.fill("confirm-password", newPassword)
		b.do(chromedp.Click(chromedp.ID("password-save")))
		b.eventually(fmt.Sprintf(`document.querySelector("#password-status").textContent === %q`, en["ui.password_changed"]))
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll("#password-errors li").length`))
		assert.Equal(t, "", eval[string](b, `document.querySelector("#new-password").value`), "the form is cleared")
		b.shot("04-password-changed")
		assert.NoError(t, svc.VerifyPassword(context.Background(), "alice", newPassword))
	})

	t.Run("api token: copy, then regenerate behind a confirmation", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Click(chromedp.ID("tab-api_token")), chromedp.WaitVisible(chromedp.ID("token-copy")))
		b.shot("05-api-token")

		b.grantClipboard()
		b.do(chromedp.Click(chromedp.ID("token-copy")))
		b.eventually(`document.querySelector("#token-value").value !== ""`)
		oldToken := eval[string](b, `document.querySelector("#token-value").value`)
		b.eventually(fmt.Sprintf(`document.querySelector("#token-status").textContent === %q`, en["ui.token.copied"]))
		clip, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		assert.Equal(t, oldToken, clip, "the copy button put the token on the clipboard")
		code, user := whoamiStatus(t, srv.URL, oldToken)
		require.Equal(t, http.StatusOK, code, "the copied token authenticates")
		assert.Equal(t, "alice", user)

		// Cancel leaves the token alone.
		b.do(chromedp.Click(chromedp.ID("token-regenerate")), chromedp.WaitVisible(chromedp.ID("regenerate-dialog")))
		assert.Equal(t, "⚠ "+en["ui.token.regenerate_warning"], b.text("#regenerate-warning"))
		assert.Contains(t, en["ui.token.regenerate_warning"], "Integrations using the current token stop working")
		b.shot("06-api-token-confirm-regenerate")
		b.do(chromedp.Click(chromedp.ID("regenerate-cancel")))
		b.eventually(`!document.querySelector("#regenerate-dialog").open`)
		code, _ = whoamiStatus(t, srv.URL, oldToken)
		assert.Equal(t, http.StatusOK, code, "cancel keeps the token")

		b.do(chromedp.Click(chromedp.ID("token-regenerate")), chromedp.WaitVisible(chromedp.ID("regenerate-dialog")))
		b.do(chromedp.Click(chromedp.ID("regenerate-confirm")))
		b.eventually(fmt.Sprintf(`(v => v !== "" && v !== %q)(document.querySelector("#token-value").value)`, oldToken))
		newToken := eval[string](b, `document.querySelector("#token-value").value`)
		assert.Contains(t, b.text("#token-status"), en["ui.token.regenerated"])
		b.shot("07-api-token-regenerated")

		code, _ = whoamiStatus(t, srv.URL, oldToken)
		assert.Equal(t, http.StatusUnauthorized, code, "the old token stops working at once")
		code, user = whoamiStatus(t, srv.URL, newToken)
		assert.Equal(t, http.StatusOK, code, "the new token works")
		assert.Equal(t, "alice", user)
	})

	t.Run("preferences: switch to German and see the page in German", func(t *testing.T) {
		b.t = t
		require.NotEqual(t, en["ui.title"], de["ui.title"], "a German catalog is shipped")
		b.do(chromedp.Click(chromedp.ID("tab-preferences")), chromedp.WaitVisible(chromedp.ID("language")))
		names := eval[[]string](b, `[...document.querySelectorAll("#language option")].map(o => o.textContent.trim())`)
		assert.Contains(t, names, "Deutsch", "languages are named in their own language")
		assert.Contains(t, names, "English")
		b.shot("08-preferences")

		b.do(chromedp.SetValue(chromedp.ID("language"), "de"), chromedp.Click(chromedp.ID("preferences-save")))
		b.eventually(fmt.Sprintf(`document.readyState === "complete" && document.documentElement.lang === "de" && document.querySelector("#title")?.textContent.trim() === %q`, de["ui.title"]))
		assert.Equal(t, []string{de["ui.tab.personal_info"], de["ui.tab.preferences"], de["ui.tab.password"], de["ui.tab.api_token"]},
			eval[[]string](b, `[...document.querySelectorAll('[role="tab"]')].map(t => t.textContent.trim())`))
		assert.Equal(t, de["ui.save"], b.text("#personal-save"))
		b.shot("09-page-in-german")
		b.do(chromedp.Click(chromedp.ID("tab-preferences")), chromedp.WaitVisible(chromedp.ID("language")))
		b.shot("10-preferences-in-german")
		b.do(chromedp.Click(chromedp.ID("tab-password")), chromedp.WaitVisible(chromedp.ID("password-form")))
		b.shot("11-password-in-german")
	})

	t.Run("sso: bob sees the sentence instead of the form", func(t *testing.T) {
		b.t = t
		b.login("bob")
		b.do(chromedp.Click(chromedp.ID("tab-password")), chromedp.WaitVisible(chromedp.ID("sso-message")))
		assert.Equal(t, profile.SSOMessage, b.text("#sso-message"))
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll("#password-form, input[type=password]").length`))
		b.shot("12-sso-password")
		b.do(chromedp.Click(chromedp.ID("tab-personal_info")))
		assert.True(t, eval[bool](b, `document.querySelector("#field-email").readOnly`), "the provider's field is read-only")
		b.shot("13-sso-personal-information")
	})

	t.Run("disabled tab: carol has no API Token tab", func(t *testing.T) {
		b.t = t
		b.login("carol")
		assert.Equal(t, []string{"personal_info", "preferences", "password"},
			eval[[]string](b, `[...document.querySelectorAll('[role="tab"]')].map(t => t.dataset.tab)`))
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll("#tab-api_token, #panel-api_token, #token-value").length`))
		b.shot("14-disabled-api-token-tab")
	})

	t.Run("german user: dieter's page opens in German", func(t *testing.T) {
		b.t = t
		b.login("dieter")
		assert.Equal(t, "de", eval[string](b, `document.documentElement.lang`))
		assert.Equal(t, de["ui.title"], b.text("#title"))
		b.shot("15-german-user")

		// A weak password is refused with the same rules, in German.
		b.do(chromedp.Click(chromedp.ID("tab-password")), chromedp.WaitVisible(chromedp.ID("password-form")))
		b.fill("current-password", "Linden-Baum-2026")
		b.fill("new-password", "abc")
		b.fill("confirm-password", "abc")
		b.do(chromedp.Click(chromedp.ID("password-save")))
		b.eventually(`document.querySelectorAll("#password-errors li").length > 0`)
		msgs := eval[[]string](b, `[...document.querySelectorAll("#password-errors li")].map(li => li.textContent.trim())`)
		var ve *profile.ValidationError
		require.ErrorAs(t, svc.CheckPassword(context.Background(), "dieter", "abc"), &ve)
		var want []string
		for _, v := range ve.Violations {
			want = append(want, v.Message)
		}
		assert.ElementsMatch(t, want, msgs)
		assert.NotContains(t, msgs, "Use at least 8 characters.", "the messages are not English")
		b.shot("16-german-password-rejected")
	})

	t.Run("no secret in the logs", func(t *testing.T) {
		out := logs.String()
		for _, secret := range []string{oldPassword, newPassword} {
			assert.NotContains(t, out, secret)
		}
		assert.NotContains(t, out, "pk_")
	})
}
