package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStory runs the whole quickstart and checks that each step of the My
// Profile story shows what it claims.
func TestStory(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	for _, want := range []string{
		"tabs: [personal_info preferences password api_token]",
		"saved: Alice Martin-Durand (version 2)",
		"conflict: true",
		"email [read_only]",
		"new_password [min_length]: Use at least 8 characters.",
		"new_password [min_digit]: Include at least 1 digit.",
		"confirmation mismatch found with errors.Is: true",
		"sign-in with the new password: true",
		"Your account uses Single Sign On (SSO). Password is managed by your organization.",
		"event: language_changed alice [de]",
		"new_password [min_length]: Verwenden Sie mindestens 8 Zeichen.",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "not implemented")
	if t.Failed() {
		t.Log(s)
	}
	// The token part: copy, regenerate, old token refused, new one accepted.
	for _, want := range []string{
		"copied the token she was shown: true",
		"an integration calls the API with it: authenticated as alice",
		"old token: Das API-Token ist ungültig, abgelaufen oder nicht mehr aktiv.",
		"new token: authenticated as alice",
		"the token never appears in a log line: true",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotRegexp(t, `pk_[0-9A-Za-z]{40,}`, s, "no plaintext token is printed")
}
