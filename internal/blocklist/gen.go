//go:build ignore

// gen builds passwords.txt.gz from the password list of the npm package
// @zxcvbn-ts/language-common (MIT; see NOTICE at the repository root):
//
//	npm pack @zxcvbn-ts/language-common && tar xzf zxcvbn-ts-language-common-*.tgz
//	go run gen.go package/src/passwords.json
//
// The output is every entry lowercased, deduplicated, sorted by bytes, one
// per line, gzip-compressed with a zero header time so that it is
// reproducible.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"log"
	"os"
	"slices"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run gen.go passwords.json")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var words []string
	if err := json.Unmarshal(raw, &words); err != nil {
		log.Fatal(err)
	}
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	words = slices.DeleteFunc(words, func(w string) bool { return w == "" || strings.ContainsAny(w, "\n\r") })
	slices.Sort(words)
	words = slices.Compact(words)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range words {
		zw.Write([]byte(w))
		zw.Write([]byte{'\n'})
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("passwords.txt.gz", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words, %d bytes compressed", len(words), buf.Len())
}
