package profile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
)

func TestPasswordChange_NeverPrintsAPassword(t *testing.T) {
	c := profile.PasswordChange{Current: "hunter2-current", New: "n3w-Secret-value", Confirm: "n3w-Secret-value"}
	secrets := []string{"hunter2", "n3w-Secret"}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%T %v", "%10.3s"} {
		outs = append(outs, fmt.Sprintf(verb, c))
		outs = append(outs, fmt.Sprintf(verb, &c))
	}
	outs = append(outs, fmt.Sprint(c), fmt.Sprint(struct{ C profile.PasswordChange }{c}))
	b, err := json.Marshal(c)
	require.NoError(t, err)
	outs = append(outs, string(b))
	b, err = json.Marshal(map[string]any{"change": c})
	require.NoError(t, err)
	outs = append(outs, string(b))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("change", "c", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("change", "c", c)
	outs = append(outs, buf.String())
	for _, out := range outs {
		for _, s := range secrets {
			assert.NotContains(t, out, s)
		}
	}
}

func TestValidate_RefusedCombinationNamesNoCharacter(t *testing.T) {
	// Each character is allowed on its own; PRECIS refuses the mix of
	// Arabic-Indic and Extended Arabic-Indic digits (RFC 5892's context rule).
	pw := "Secret漢字١۱pass"
	err := profile.DefaultPolicy().Password.Validate(pw, profile.Profile{})
	var ve *profile.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Violations, 1)
	v := ve.Violations[0]
	assert.Equal(t, "disallowed_combination", v.Rule)
	assert.Nil(t, v.Params)
	for _, r := range []rune("漢字١۱") {
		code := fmt.Sprintf("U+%04X", r)
		assert.False(t, strings.Contains(err.Error(), code) || strings.ContainsRune(err.Error(), r), "error names %s", code)
	}
	assert.Equal(t, "The password contains a combination of characters that is not allowed.", v.Message)
}

func TestChangePassword_TooManyAttemptsSaysWhenToRetry(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	svc, _, _ := newService(t, func(c *profile.Config) { c.Clock = func() time.Time { return now } })
	ctx := context.Background()
	createAlice(t, svc)
	require.NoError(t, svc.SetPassword(ctx, "alice", "Right-Horse-42"))
	wrong := profile.PasswordChange{Current: "Wrong-Horse-42", New: "Next-Horse-43", Confirm: "Next-Horse-43"}
	for i := 0; i < profile.DefaultMaxAttempts; i++ {
		require.ErrorIs(t, svc.ChangePassword(ctx, "alice", wrong), profile.ErrInvalidCredentials)
	}
	now = now.Add(5 * time.Minute)
	err := svc.ChangePassword(ctx, "alice", wrong)
	require.ErrorIs(t, err, profile.ErrTooManyAttempts)
	var tm *profile.TooManyAttemptsError
	require.ErrorAs(t, err, &tm)
	assert.Equal(t, profile.DefaultAttemptWindow-5*time.Minute, tm.RetryAfter())
	assert.Equal(t, profile.ErrTooManyAttempts.Error(), tm.Error())
}
