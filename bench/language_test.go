package bench

import (
	"context"
	"testing"

	"golang.org/x/text/language"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// BenchmarkSetLanguage compares SetLanguage (memory store; shipped
// languages) with bare language.Parse + Matcher.Match of the same input,
// the matcher built once as SetLanguage's is ("x-parse+match"). Where the
// language changes, SetLanguage also writes the record: "x-parse+match+store"
// adds the memory store's own Get and compare-and-swap Update to the floor,
// which isolates the library's overhead.
func BenchmarkSetLanguage(b *testing.B) {
	shipped := []string{"en", "de", "fr", "es", "it", "ja", "zh-Hans", "pt-BR"}
	tags := make([]language.Tag, len(shipped))
	for i, s := range shipped {
		tags[i] = language.MustParse(s)
	}
	m := language.NewMatcher(tags)
	for _, bc := range []struct {
		name   string
		inputs []string
	}{
		{"changing", []string{"de-CH", "fr-CA"}},
		{"unchanged", []string{"de"}},
		{"refused", []string{"zh-TW"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			st := memory.New()
			svc, err := profile.New(profile.Config{Store: st, Languages: shipped})
			if err != nil {
				b.Fatal(err)
			}
			if err := svc.CreateUser(ctx, "alice", benchPerson); err != nil {
				b.Fatal(err)
			}
			if err := svc.CreateUser(ctx, "bob", benchPerson); err != nil {
				b.Fatal(err)
			}
			var sink language.Tag
			parseMatch := func(i int) {
				t, _ := language.Parse(bc.inputs[i%len(bc.inputs)])
				sink, _, _ = m.Match(t)
			}
			floors := []baseline{floorOf("parse+match", parseMatch)}
			if bc.name == "changing" {
				floors = append(floors, floorOf("parse+match+store", func(i int) {
					parseMatch(i)
					rec, err := st.Get(ctx, "bob")
					if err != nil {
						b.Fatal(err)
					}
					rec.Preferences.Language = shipped[1+i%2]
					if _, err := st.Update(ctx, rec); err != nil {
						b.Fatal(err)
					}
				}))
			}
			compare(b,
				func(i int) { _, _ = svc.SetLanguage(ctx, "alice", bc.inputs[i%len(bc.inputs)]) },
				floors...,
			)
			_ = sink
		})
	}
}
