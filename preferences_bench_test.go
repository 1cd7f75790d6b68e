package profile_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// namedFloor is a baseline measured beside a subject; its ratio is reported as
// "x-<name>".
type namedFloor struct {
	name string
	run  func(i int)
}

// benchAgainstFloors runs subject and each floor alternately in chunks of
// the same inputs, so that all see the same machine load, and reports the
// subject's ns/op, each floor's ns/op and subject/floor.
func benchAgainstFloors(b *testing.B, subject func(i int), floors ...namedFloor) {
	for i := range 256 { // warm up lazy tables and caches
		subject(i)
		for _, f := range floors {
			f.run(i)
		}
	}
	const chunk = 512
	var subj time.Duration
	fl := make([]time.Duration, len(floors))
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(chunk, b.N-done)
		t0 := time.Now()
		for i := done; i < done+n; i++ {
			subject(i)
		}
		subj += time.Since(t0)
		for k, f := range floors {
			t0 := time.Now()
			for i := done; i < done+n; i++ {
				f.run(i)
			}
			fl[k] += time.Since(t0)
		}
		done += n
	}
	b.StopTimer()
	b.ReportMetric(float64(subj.Nanoseconds())/float64(b.N), "subject-ns/op")
	for k, f := range floors {
		b.ReportMetric(float64(fl[k].Nanoseconds())/float64(b.N), f.name+"-ns/op")
		b.ReportMetric(float64(subj)/float64(fl[k]), "x-"+f.name)
	}
}

// benchPrefsService is a Service with the eight shipped languages and users
// alice (no preference), bob (Japanese) and carol (for floors that write
// to the store), without an Events hook.
func benchPrefsService(b *testing.B) (*profile.Service, *memory.Store, language.Matcher) {
	b.Helper()
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st, Languages: eightLanguages})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"alice", "bob", "carol"} {
		if err := svc.CreateUser(ctx, id, profile.Profile{FirstName: "U", Email: "u@example.com"}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := svc.SetLanguage(ctx, "bob", "ja"); err != nil {
		b.Fatal(err)
	}
	tags := make([]language.Tag, len(eightLanguages))
	for i, s := range eightLanguages {
		tags[i] = language.MustParse(s)
	}
	// The floor's matcher is built once too: the floor is the bare
	// x/text work a call cannot avoid, Parse then Match.
	return svc, st, language.NewMatcher(tags)
}

var sinkTag language.Tag

// BenchmarkSetLanguage compares SetLanguage (checks, matching, a memory
// store read and, when the language changes, a compare-and-swap write)
// with bare language.Parse + Matcher.Match of the same input ("x-floor"),
// and, where it writes, with that plus the memory store's own Get and
// Update ("x-floor+store"), which isolates the library's overhead.
func BenchmarkSetLanguage(b *testing.B) {
	for _, bc := range []struct {
		name   string
		inputs []string
		writes bool
	}{
		{"dropdown-tags-changing", []string{"de", "fr"}, true},
		{"regional-tags-changing", []string{"de-CH", "fr-CA"}, true},
		{"same-tag-unchanged", []string{"de"}, false},
		{"refused", []string{"zh-TW"}, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			svc, st, m := benchPrefsService(b)
			ctx := context.Background()
			parseMatch := func(i int) {
				t, _ := language.Parse(bc.inputs[i%len(bc.inputs)])
				sinkTag, _, _ = m.Match(t)
			}
			floors := []namedFloor{{"floor", parseMatch}}
			if bc.writes {
				floors = append(floors, namedFloor{"floor+store", func(i int) {
					parseMatch(i)
					rec, _ := st.Get(ctx, "carol")
					rec.Preferences.Language = bc.inputs[i%len(bc.inputs)]
					_, _ = st.Update(ctx, rec)
				}})
			}
			benchAgainstFloors(b, func(i int) {
				_, _ = svc.SetLanguage(ctx, "alice", bc.inputs[i%len(bc.inputs)])
			}, floors...)
		})
	}
}

// BenchmarkResolveLanguage compares ResolveLanguage with bare
// language.ParseAcceptLanguage + Matcher.Match of the same header.
func BenchmarkResolveLanguage(b *testing.B) {
	const header = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"
	for _, bc := range []struct {
		name, user, header string
	}{
		{"anonymous-header", "", header},
		{"anonymous-short-header", "", "de"},
		{"user-without-preference", "alice", header},
		{"user-with-preference", "bob", header},
	} {
		b.Run(bc.name, func(b *testing.B) {
			svc, _, m := benchPrefsService(b)
			ctx := context.Background()
			benchAgainstFloors(b, func(int) {
				_ = svc.ResolveLanguage(ctx, bc.user, bc.header)
			}, namedFloor{"floor", func(int) {
				tags, _, _ := language.ParseAcceptLanguage(bc.header)
				sinkTag, _, _ = m.Match(tags...)
			}})
		})
	}
}
