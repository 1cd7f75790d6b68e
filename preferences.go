package profile

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/text/language"

	"github.com/profilekit/profile/internal/i18n"
)

var i18nEnglish = language.English

// Preferences is the Preferences tab of one user.
type Preferences struct {
	// Language is the preferred language as a supported BCP 47 tag; empty
	// until the user chooses one.
	Language string `json:"language,omitempty"`
}

// languages is the Service's language state, built once by New.
type languages struct {
	supported []language.Tag
	matcher   language.Matcher
}

func (l *languages) init(tags []string) error {
	if len(tags) == 0 {
		l.supported = i18n.Shipped()
	} else {
		for i, s := range tags {
			t, err := language.Parse(s)
			if err != nil {
				return fmt.Errorf("[%d] %q: %w", i, s, err)
			}
			l.supported = append(l.supported, t)
		}
	}
	if len(l.supported) == 0 {
		return errors.New("no language")
	}
	l.matcher = language.NewMatcher(l.supported)
	return nil
}

// defaultTag is the host's default language.
func (l *languages) defaultTag() language.Tag { return l.supported[0] }

// userTag is the user's stored language, or the default.
func (l *languages) userTag(rec Record) language.Tag {
	return l.parseOrDefault(rec.Preferences.Language)
}

// parseOrDefault parses a stored or requested tag, falling back to the
// default language.
func (l *languages) parseOrDefault(tag string) language.Tag {
	if tag == "" || len(tag) > 64 {
		return l.defaultTag()
	}
	t, err := language.Parse(tag)
	if err != nil {
		return l.defaultTag()
	}
	return t
}

// PreferencesView is the Preferences tab of a Page.
type PreferencesView struct {
	// Language is the user's current language tag.
	Language string
}

func (s *Service) preferencesView(rec Record, tag language.Tag) PreferencesView {
	return PreferencesView{Language: tag.String()}
}

// LanguageOption is one entry of the language dropdown.
type LanguageOption struct {
	// Tag is the BCP 47 tag to send to SetLanguage.
	Tag string `json:"tag"`
	// SelfName is the language's name in itself, e.g. "Deutsch".
	SelfName string `json:"self_name"`
	// Name is the language's name in the user's current language.
	Name string `json:"name"`
	// Selected marks the user's current language.
	Selected bool `json:"selected"`
}

// Languages returns the dropdown's options for the user.
func (s *Service) Languages(ctx context.Context, userID string) ([]LanguageOption, error) {
	return nil, errNotImplemented
}

// SetLanguage stores the user's preferred language.
func (s *Service) SetLanguage(ctx context.Context, userID, tag string) (Preferences, error) {
	return Preferences{}, errNotImplemented
}

// ResolveLanguage returns the language for a request.
func (s *Service) ResolveLanguage(ctx context.Context, userID, acceptLanguage string) string {
	return s.lang.defaultTag().String()
}
