package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/language"
)

// testBundle is a bundle of an English and a German catalog (the German one
// lacks a key), independent of the shipped catalogs.
func testBundle() *Bundle {
	return newBundle(map[language.Tag]Table{
		language.English: {
			"greet": {Other: "Hello"},
			"count": {One: "%d item", Other: "%d items"},
			"only":  {Other: "English only"},
		},
		language.German: {
			"greet": {Other: "Hallo"},
			"count": {One: "%d Element", Other: "%d Elemente"},
		},
	})
}

func TestClosest_PicksTheMatchersCatalogElseEnglish(t *testing.T) {
	b := testBundle()
	for _, tc := range []struct {
		tag  string
		want language.Tag
	}{
		{"de", language.German},
		{"DE", language.German},
		{"de-u-co-phonebk", language.German},
		{"de-CH", language.German},
		{"de-AT", language.German},
		{"en-GB", language.English},
		{"nl", language.English}, // no catalog, nothing close: English
		{"ja", language.English},
		{"und", language.English},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			assert.Equal(t, tc.want, b.Closest(language.MustParse(tc.tag)))
		})
	}
}

func TestSprintf_FallsBackToClosestCatalogThenEnglish(t *testing.T) {
	b := testBundle()
	assert.Equal(t, "Hallo", b.Sprintf(language.MustParse("de-CH"), "greet"))
	assert.Equal(t, "Hello", b.Sprintf(language.Dutch, "greet"))
	assert.Equal(t, "English only", b.Sprintf(language.German, "only"), "a key missing in German comes from English")
	assert.Equal(t, "1 Element", b.Sprintf(language.German, "count", 1))
	assert.Equal(t, "8 Elemente", b.Sprintf(language.German, "count", 8))
	assert.Equal(t, "missing.key", b.Sprintf(language.German, "missing.key"))
}

func TestShipped_EnglishFirst(t *testing.T) {
	s := Shipped()
	if assert.NotEmpty(t, s) {
		assert.Equal(t, language.English, s[0])
	}
	for _, tag := range s {
		assert.NotNil(t, Messages(tag), "shipped language %s has a table", tag)
	}
}
