// Package blocklist holds the embedded list of common passwords that
// PasswordPolicy refuses by default.
//
// The list is 49,233 passwords from the MIT-licensed npm package
// @zxcvbn-ts/language-common (see NOTICE at the repository root and
// gen.go). It ships gzip-compressed (about 140 KB) and is decoded on first
// use into one string of words plus their offsets (about 540 KB of heap),
// searched by binary search. Nothing is built at program start.
package blocklist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed passwords.txt.gz
var packed []byte

// list is the decoded word list: word i is words[offs[i]:offs[i+1]],
// sorted by bytes, lowercase.
type list struct {
	words string
	offs  []uint32
	// maxLen is the longest word's length in bytes; ascii is true when
	// every word is ASCII.
	maxLen int
	ascii  bool
}

func (l *list) len() int { return len(l.offs) - 1 }

func (l *list) at(i int) string { return l.words[l.offs[i]:l.offs[i+1]] }

// load decodes the embedded list once, on first use.
var load = sync.OnceValue(decode)

// decode unpacks the embedded list. A corrupt embedded file (impossible
// unless the build is broken) yields an empty list rather than a panic.
func decode() *list {
	l := &list{offs: []uint32{0}}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return l
	}
	var sb strings.Builder
	sb.Grow(352 << 10)
	offs := make([]uint32, 1, 50_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		w := sc.Bytes()
		if len(w) == 0 {
			continue
		}
		sb.Write(w)
		offs = append(offs, uint32(sb.Len()))
	}
	if sc.Err() != nil {
		return l
	}
	l.words = sb.String()
	l.offs = offs
	l.ascii = isASCII(l.words)
	for i := 1; i < len(offs); i++ {
		l.maxLen = max(l.maxLen, int(offs[i]-offs[i-1]))
	}
	return l
}

// Len returns the number of words in the list. It decodes the list on
// first use. Safe for concurrent use.
func Len() int { return load().len() }

// Contains reports whether pw, a PRECIS-normalised (hence NFC) password,
// is one of the common passwords, compared
// case-insensitively. It does not allocate unless pw is not ASCII and the
// list has non-ASCII words. Safe for concurrent use.
func Contains(pw string) bool {
	if pw == "" {
		return false
	}
	l := load()
	if !isASCII(pw) {
		if l.ascii {
			// Lowercasing keeps a non-ASCII character non-ASCII, except the
			// Kelvin sign, which NFC (part of PRECIS) has already mapped to K.
			return false
		}
		pw = strings.ToLower(pw)
	}
	if len(pw) > l.maxLen {
		return false
	}
	lo, hi := 0, l.len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if compareFoldASCII(l.at(m), pw) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < l.len() && compareFoldASCII(l.at(lo), pw) == 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// compareFoldASCII compares the lowercase word w with s lowercased in
// ASCII, byte by byte, like strings.Compare.
func compareFoldASCII(w, s string) int {
	n := min(len(w), len(s))
	for i := 0; i < n; i++ {
		a, b := w[i], s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(w) < len(s):
		return -1
	case len(w) > len(s):
		return 1
	}
	return 0
}
