// Package bench holds profilekit's side-by-side benchmarks against peer
// libraries and bare floors (see BENCHMARKS.md at the repository root and
// bench/run). It is its own module so that the peers never enter the root
// module's go.mod; it has no API.
package bench
