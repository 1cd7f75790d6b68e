package main

import (
	"context"
	"io"

	"github.com/profilekit/profile"
)

// passwordStory is the password part of the story.
func passwordStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	return nil
}
