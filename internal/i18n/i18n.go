// Package i18n holds the library's message catalogs and picks the closest
// one for a language. Every user-facing string of profilekit is a message
// here, keyed by a stable ID; each shipped language has one table file
// (messages_xx.go).
package i18n

import (
	"sort"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Text is one message in one language. Other is the message; when One is
// set the message has plural forms selected by its first argument (an int):
// One is used where the language's CLDR plural rules say "one", Other
// everywhere else. Languages without plural forms (ja, zh) set Other only.
type Text struct {
	One   string
	Other string
}

// Table is one language's messages, keyed by message ID.
type Table map[string]Text

// tables lists every shipped catalog. It is read-only data.
var tables = map[language.Tag]Table{}

// register adds a shipped table; called from the messages_xx.go files' var
// initialisation only, never at run time.
func register(t language.Tag, tb Table) Table {
	tables[t] = tb
	return tb
}

// Shipped returns the languages the library ships complete catalogs for,
// English first, then in tag order.
func Shipped() []language.Tag { return languagesOf(tables) }

// languagesOf lists the languages of tbs, English first, then in tag order.
func languagesOf(tbs map[language.Tag]Table) []language.Tag {
	out := make([]language.Tag, 0, len(tbs))
	for t := range tbs {
		if t != language.English {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return append([]language.Tag{language.English}, out...)
}

// Messages returns the table of a shipped language (nil if not shipped). The
// caller must not modify it.
func Messages(t language.Tag) Table { return tables[t] }

// Bundle is the compiled catalog with one printer per shipped language. It
// is immutable and safe for concurrent use.
type Bundle struct {
	tags     []language.Tag
	tables   map[language.Tag]Table
	matcher  language.Matcher
	printers map[language.Tag]*message.Printer
}

// Default returns the bundle of every shipped catalog, built once.
var Default = sync.OnceValue(func() *Bundle { return newBundle(tables) })

// newBundle compiles tbs, which must hold English.
func newBundle(tbs map[language.Tag]Table) *Bundle {
	tags := languagesOf(tbs)
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, t := range tags {
		for key, txt := range tbs[t] {
			if txt.One != "" {
				// Selectf with "other" as the catch-all; "=0" etc. are not used.
				_ = b.Set(t, key, plural.Selectf(1, "%d", plural.One, txt.One, plural.Other, txt.Other))
			} else {
				_ = b.SetString(t, key, txt.Other)
			}
		}
	}
	bd := &Bundle{tags: tags, tables: tbs, matcher: language.NewMatcher(tags), printers: make(map[language.Tag]*message.Printer, len(tags))}
	for _, t := range tags {
		bd.printers[t] = message.NewPrinter(t, message.Catalog(b))
	}
	return bd
}

// Closest returns the shipped language whose catalog serves t: the x/text
// matcher's choice among the shipped languages when it is at least a
// low-confidence match ("de-CH" → de, "pt-PT" → pt-BR, "zh-Hant" →
// zh-Hans), else English ("nl" → en). A key missing from that catalog falls
// back to English too.
func (b *Bundle) Closest(t language.Tag) language.Tag {
	if _, ok := b.printers[t]; ok {
		return t // a shipped language is its own closest: skip the matcher
	}
	_, i, conf := b.matcher.Match(t)
	if conf == language.No {
		return language.English
	}
	return b.tags[i]
}

// Sprintf formats message key in the catalog closest to t, or in English
// when that catalog lacks the key. A key that no catalog holds is returned
// as is.
func (b *Bundle) Sprintf(t language.Tag, key string, args ...any) string {
	c := b.Closest(t)
	if _, ok := b.tables[c][key]; !ok {
		c = language.English
	}
	return b.printers[c].Sprintf(key, args...)
}
