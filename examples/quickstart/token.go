package main

import (
	"context"
	"io"

	"github.com/profilekit/profile"
)

// tokenStory is the token part of the story.
func tokenStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	return nil
}
