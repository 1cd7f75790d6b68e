package main

import (
	"context"
	"io"

	"github.com/profilekit/profile"
)

// languageStory is the language part of the story.
func languageStory(ctx context.Context, svc *profile.Service, out io.Writer) error {
	return nil
}
