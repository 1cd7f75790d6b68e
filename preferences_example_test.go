package profile_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// The Preferences tab: the dropdown in the user's language, a choice
// matched to a supported language, and a refused one with suggestions.
func ExampleService_SetLanguage() {
	ctx := context.Background()
	svc, err := profile.New(profile.Config{
		Store:     memory.New(),
		Languages: []string{"en", "de", "fr", "ja", "zh-Hans"},
	})
	if err != nil {
		panic(err)
	}
	if err := svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"}); err != nil {
		panic(err)
	}

	// "de-CH" from a browser is stored as the supported "de".
	prefs, err := svc.SetLanguage(ctx, "alice", "de-CH")
	fmt.Println(prefs.Language, err)

	opts, _ := svc.Languages(ctx, "alice")
	for _, o := range opts {
		mark := " "
		if o.Selected {
			mark = "*"
		}
		fmt.Printf("%s %-7s %-24s %s\n", mark, o.Tag, o.Name, o.SelfName)
	}

	// Traditional Chinese is not silently turned into Simplified Chinese.
	_, err = svc.SetLanguage(ctx, "alice", "zh-TW")
	var le *profile.LanguageError
	if errors.As(err, &le) {
		fmt.Println(errors.Is(err, profile.ErrUnsupportedLanguage), le.Requested, le.Suggestions)
	}
	// Output:
	// de <nil>
	//   zh-Hans Chinesisch (vereinfacht) 简体中文
	// * de      Deutsch                  Deutsch
	//   en      Englisch                 English
	//   fr      Französisch              français
	//   ja      Japanisch                日本語
	// true zh-TW [zh-Hans]
}

// ResolveLanguage picks the language of a request: the stored preference,
// else the Accept-Language header, else the default.
func ExampleService_ResolveLanguage() {
	ctx := context.Background()
	svc, err := profile.New(profile.Config{Store: memory.New(), Languages: []string{"en", "de", "fr"}})
	if err != nil {
		panic(err)
	}
	if err := svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", Email: "alice@example.com"}); err != nil {
		panic(err)
	}
	fmt.Println(svc.ResolveLanguage(ctx, "", "nl, de;q=0.7, fr;q=0.9"))
	fmt.Println(svc.ResolveLanguage(ctx, "", "nl"))
	if _, err := svc.SetLanguage(ctx, "alice", "de"); err != nil {
		panic(err)
	}
	fmt.Println(svc.ResolveLanguage(ctx, "alice", "fr"))
	// Output:
	// fr
	// en
	// de
}
