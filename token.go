package profile

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// The API Token tab: a personal token the user copies or regenerates, and
// Authenticate, which turns a token presented by an integration back into a
// user ID.
//
// A token reads prefix + body + checksum, e.g. "pk_" followed by 49 base62
// characters:
//
//   - the prefix (Config.TokenPrefix, default "pk_") lets a secret scanner
//     recognise a leaked token;
//   - the body is 43 characters of the alphabet 0-9 A-Z a-z drawn uniformly
//     from crypto/rand by rejection sampling: 62^43 > 2^256;
//   - the checksum is the CRC-32 (IEEE) of prefix and body, written as 6
//     base62 digits, most significant first, so a mistyped token is refused
//     before any store read (CRC-32 detects every change confined to 32
//     consecutive bits, so every single-character substitution and every
//     swap of two neighbours).
//
// At rest, the store indexes only the SHA-256 digest of the token. With a
// key ring, the Record also keeps the token sealed with XChaCha20-Poly1305
// so that the copy button can show it again.

// DefaultTokenPrefix starts every API token when Config.TokenPrefix is
// empty.
const DefaultTokenPrefix = "pk_"

const (
	tokenAlphabet     = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	tokenBodyLen      = 43 // 62^43 ≈ 2^256.03
	tokenSumLen       = 6  // 62^6 ≈ 5.7e10 > 2^32
	tokenTailLen      = tokenBodyLen + tokenSumLen
	maxTokenPrefixLen = 16
	maxTokenLen       = maxTokenPrefixLen + tokenTailLen
	tokenKeyIDMaxLen  = 32
	// maxTokenCollisions bounds the retries when a new token's digest is
	// already indexed (ErrExists from the store), which for 256 random bits
	// means a broken random source or store rather than bad luck.
	maxTokenCollisions = 3
)

// TokenDigest is the SHA-256 digest of an API token: the only form of a
// token a Store indexes.
type TokenDigest [32]byte

// IsZero reports whether d is the zero digest (no token).
func (d TokenDigest) IsZero() bool { return d == TokenDigest{} }

// TokenState is the stored API token state of one user.
type TokenState struct {
	// Digest is the SHA-256 of the current token; zero when there is none.
	Digest TokenDigest
	// CreatedAt is when the token was generated.
	CreatedAt time.Time
	// ExpiresAt is when it stops authenticating; zero: never.
	ExpiresAt time.Time
	// KeyID names the key that sealed Sealed.
	KeyID string
	// Sealed is the token sealed with XChaCha20-Poly1305 under KeyID, so it
	// can be copied later; empty without a key ring. It is the 24-byte
	// random nonce followed by the ciphertext and its 16-byte tag; the
	// additional data binds the user ID, Digest and KeyID, so a sealed token
	// moved to another user or relabelled with another key does not open.
	Sealed []byte
}

// TokenKey is one key of the ring that seals API tokens (Config.TokenKeys).
// The first key of the ring seals new tokens; every key opens the tokens it
// sealed. To rotate, put a new key first and keep the old ones until every
// token they sealed has been regenerated or revoked: a token whose key has
// left the ring still authenticates but can no longer be copied.
type TokenKey struct {
	// ID names the key in sealed records; 1 to 32 printable ASCII bytes
	// without spaces, unique in the ring. It is stored in clear.
	ID string
	// Key is 32 bytes from a cryptographic random source. Keep it in a
	// secret manager.
	Key []byte
}

// tokens is the Service's token configuration, fixed by New.
type tokens struct {
	prefix string
	// sealID and sealer are the primary key; nil sealer: no key ring.
	sealID string
	sealer cipher.AEAD
	// openers holds every key of the ring by ID.
	openers map[string]cipher.AEAD
}

// init validates Config.TokenPrefix and Config.TokenKeys.
func (t *tokens) init(prefix string, keys []TokenKey) error {
	if prefix == "" {
		prefix = DefaultTokenPrefix
	}
	if !validTokenPrefix(prefix) {
		return fmt.Errorf("profile: Config.TokenPrefix %q: want 1 to %d bytes of lowercase letters a-z and '_'", prefix, maxTokenPrefixLen)
	}
	t.prefix = prefix
	if len(keys) == 0 {
		return nil
	}
	t.openers = make(map[string]cipher.AEAD, len(keys))
	for i, k := range keys {
		if k.ID == "" || len(k.ID) > tokenKeyIDMaxLen || !printableASCII(k.ID) {
			return fmt.Errorf("profile: Config.TokenKeys[%d]: ID %q: want 1 to %d printable ASCII bytes without spaces", i, k.ID, tokenKeyIDMaxLen)
		}
		if _, dup := t.openers[k.ID]; dup {
			return fmt.Errorf("profile: Config.TokenKeys[%d]: ID %q is used twice", i, k.ID)
		}
		if len(k.Key) != chacha20poly1305.KeySize {
			return fmt.Errorf("profile: Config.TokenKeys[%d] (ID %q): key is %d bytes, want %d", i, k.ID, len(k.Key), chacha20poly1305.KeySize)
		}
		if allZero(k.Key) {
			return fmt.Errorf("profile: Config.TokenKeys[%d] (ID %q): key is all zero bytes; generate it with a cryptographic random source", i, k.ID)
		}
		aead, err := chacha20poly1305.NewX(k.Key) // copies the key
		if err != nil {
			return fmt.Errorf("profile: Config.TokenKeys[%d] (ID %q): %w", i, k.ID, err)
		}
		t.openers[k.ID] = aead
		if i == 0 {
			t.sealID, t.sealer = k.ID, aead
		}
	}
	return nil
}

func validTokenPrefix(p string) bool {
	if len(p) == 0 || len(p) > maxTokenPrefixLen {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func allZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

// tokenTables are the lookup tables of the hot path, built on first use:
// the value of each byte as a base62 digit (0xFF: not one), and the eight
// CRC-32 (IEEE) tables of slicing-by-8.
type tokenTables struct {
	digit [256]byte
	crc   [8][256]uint32
}

var tokenTabs = sync.OnceValue(func() *tokenTables {
	t := new(tokenTables)
	for i := range t.digit {
		t.digit[i] = 0xFF
	}
	for i := 0; i < len(tokenAlphabet); i++ {
		t.digit[tokenAlphabet[i]] = byte(i)
	}
	t.crc[0] = *crc32.IEEETable
	for i := 0; i < 256; i++ {
		c := t.crc[0][i]
		for j := 1; j < 8; j++ {
			c = t.crc[0][c&0xFF] ^ c>>8
			t.crc[j][i] = c
		}
	}
	return t
})

// base62Value returns the value of base62 digit c, or -1.
func base62Value(c byte) int {
	if v := tokenTabs().digit[c]; v != 0xFF {
		return int(v)
	}
	return -1
}

// crc32IEEE is crc32.ChecksumIEEE (slicing-by-8) for a string or a byte
// slice, without the conversion and allocation the hash/crc32 API would
// need for a string or a stack buffer.
func crc32IEEE[T string | []byte](s T) uint32 {
	tab := &tokenTabs().crc
	crc := ^uint32(0)
	for len(s) >= 8 {
		crc ^= uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
		crc = tab[0][s[7]] ^ tab[1][s[6]] ^ tab[2][s[5]] ^ tab[3][s[4]] ^
			tab[4][crc>>24] ^ tab[5][(crc>>16)&0xFF] ^ tab[6][(crc>>8)&0xFF] ^ tab[7][crc&0xFF]
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		crc = tab[0][byte(crc)^s[i]] ^ crc>>8
	}
	return ^crc
}

// putChecksum writes sum as tokenSumLen base62 digits, most significant
// first.
func putChecksum(dst []byte, sum uint32) {
	v := uint64(sum)
	for i := tokenSumLen - 1; i >= 0; i-- {
		dst[i] = tokenAlphabet[v%62]
		v /= 62
	}
}

// parseToken checks the token's shape and checksum and returns the length
// of its prefix. It does not allocate.
func parseToken(s string) (prefixLen int, ok bool) {
	n := len(s) - tokenTailLen
	if n < 1 || n > maxTokenPrefixLen {
		return 0, false
	}
	for i := 0; i < n; i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			return 0, false
		}
	}
	tabs := tokenTabs()
	var bad byte
	for i := n; i < n+tokenBodyLen; i++ {
		bad |= tabs.digit[s[i]]
	}
	var sum uint64
	for i := n + tokenBodyLen; i < len(s); i++ {
		v := tabs.digit[s[i]]
		bad |= v
		sum = sum*62 + uint64(v)
	}
	// Every digit is below 62 (bit 6 clear); 0xFF marks a non-digit.
	if bad&0x80 != 0 || sum != uint64(crc32IEEE(s[:n+tokenBodyLen])) {
		return 0, false
	}
	return n, true
}

// ParseToken checks that s has the shape of an API token: a prefix of 1 to
// 16 lowercase letters or '_', 43 base62 characters and a valid 6-character
// checksum. It reads no store and does not tell whether the token is valid
// for any user: that is Authenticate's job. A host may use it to refuse a
// mistyped token early, or a secret scanner to recognise one; compare
// Token.Prefix with the prefix the host configured.
//
// ParseToken returns ErrInvalidToken (unwrapped) when s is malformed. It is
// safe for concurrent use.
func ParseToken(s string) (Token, error) {
	if _, ok := parseToken(s); !ok {
		return Token{}, ErrInvalidToken
	}
	return newToken(s), nil
}

// tokenRandBytes is how many random bytes generate reads at first: 48
// sextets, of which 43 are needed and each is kept with probability 62/64,
// so more are needed only in about 0.5% of draws.
const tokenRandBytes = 36

// generate returns a new token and its digest. When nonce is not empty it
// also fills it with random bytes, in the same read from crypto/rand.
func (t *tokens) generate(nonce []byte) (string, TokenDigest) {
	var buf [maxTokenLen]byte
	n := copy(buf[:], t.prefix)
	body := buf[n : n+tokenBodyLen]
	var rnd [tokenRandBytes + chacha20poly1305.NonceSizeX]byte
	src := rnd[:tokenRandBytes+len(nonce)]
	rand.Read(src) // never fails: crypto/rand aborts the program instead
	copy(nonce, src[tokenRandBytes:])
	filled := fillBase62(body, 0, src[:tokenRandBytes])
	for filled < len(body) {
		rand.Read(rnd[:3])
		filled = fillBase62(body, filled, rnd[:3])
	}
	clear(rnd[:])
	end := n + tokenBodyLen
	putChecksum(buf[end:end+tokenSumLen], crc32IEEE(buf[:end]))
	end += tokenSumLen
	tok := string(buf[:end])
	d := TokenDigest(sha256.Sum256(buf[:end]))
	clear(buf[:])
	return tok, d
}

// fillBase62 writes base62 characters into dst from filled on, reading src
// as 6-bit groups (each 3 bytes give 4) and keeping those below 62:
// rejection sampling, so each of the 62 characters is equally likely when
// src is uniform. A trailing partial group of src is ignored. It returns
// how many characters of dst are filled.
func fillBase62(dst []byte, filled int, src []byte) int {
	for ; len(src) >= 3 && filled < len(dst); src = src[3:] {
		g := uint32(src[0])<<16 | uint32(src[1])<<8 | uint32(src[2])
		for shift := 18; shift >= 0 && filled < len(dst); shift -= 6 {
			if v := (g >> shift) & 63; v < 62 {
				dst[filled] = tokenAlphabet[v]
				filled++
			}
		}
	}
	return filled
}

// tokenAAD is the additional data of a sealed token: it binds the sealed
// bytes to the user, the digest and the key ID.
func tokenAAD(userID string, d TokenDigest, keyID string) []byte {
	const label = "profilekit api token v1\x00"
	aad := make([]byte, 0, len(label)+2*binary.MaxVarintLen64+len(keyID)+len(userID)+len(d))
	aad = append(aad, label...)
	aad = binary.AppendUvarint(aad, uint64(len(keyID)))
	aad = append(aad, keyID...)
	aad = binary.AppendUvarint(aad, uint64(len(userID)))
	aad = append(aad, userID...)
	return append(aad, d[:]...)
}

// seal returns the primary key's ID and tok sealed for userID under the
// given random nonce. The caller checks that a key ring is configured.
func (t *tokens) seal(userID string, d TokenDigest, tok string, nonce []byte) (keyID string, sealed []byte) {
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(tok)+chacha20poly1305.Overhead)
	copy(out, nonce)
	var pt [maxTokenLen]byte
	n := copy(pt[:], tok)
	out = t.sealer.Seal(out, out[:chacha20poly1305.NonceSizeX], pt[:n], tokenAAD(userID, d, t.sealID))
	clear(pt[:])
	return t.sealID, out
}

// Reasons a sealed token does not open. They carry no secret.
var (
	errNoKeyRing     = errors.New("no key ring is configured (Config.TokenKeys)")
	errNotSealed     = errors.New("the token was generated without a key ring")
	errUnknownKey    = errors.New("the key that sealed the token is no longer in the key ring")
	errSealBroken    = errors.New("the sealed token does not open: altered, moved to another user, or sealed under another key")
	errSealedInvalid = errors.New("the sealed token does not match the stored digest")
)

// open returns the plaintext token of st, sealed for userID.
func (t *tokens) open(userID string, st TokenState) (string, error) {
	if t.sealer == nil {
		return "", errNoKeyRing
	}
	if len(st.Sealed) == 0 {
		return "", errNotSealed
	}
	aead, ok := t.openers[st.KeyID]
	if !ok {
		return "", errUnknownKey
	}
	if len(st.Sealed) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return "", errSealBroken
	}
	nonce, ct := st.Sealed[:chacha20poly1305.NonceSizeX], st.Sealed[chacha20poly1305.NonceSizeX:]
	pt, err := aead.Open(nil, nonce, ct, tokenAAD(userID, st.Digest, st.KeyID))
	if err != nil {
		return "", errSealBroken
	}
	defer clear(pt)
	d := sha256.Sum256(pt)
	if subtle.ConstantTimeCompare(d[:], st.Digest[:]) != 1 {
		return "", errSealedInvalid
	}
	tok := string(pt)
	if _, ok := parseToken(tok); !ok {
		return "", errSealedInvalid
	}
	return tok, nil
}

// retrievable reports whether st can be opened with this key ring.
func (t *tokens) retrievable(st TokenState) bool {
	if t.sealer == nil || st.Digest.IsZero() || len(st.Sealed) == 0 {
		return false
	}
	_, ok := t.openers[st.KeyID]
	return ok
}

// tokenExpired reports whether st no longer authenticates at now: past its
// ExpiresAt, or older than the TTL the policy sets today (so shortening the
// TTL applies to tokens already issued).
func tokenExpired(st TokenState, pol Policy, now time.Time) bool {
	if !st.ExpiresAt.IsZero() && !now.Before(st.ExpiresAt) {
		return true
	}
	return pol.Token.TTL > 0 && !now.Before(st.CreatedAt.Add(pol.Token.TTL))
}

// TokenView is the API Token tab of a Page. It never holds the token.
type TokenView struct {
	// HasToken is true when the user has a token.
	HasToken bool
	// Retrievable is true when RevealToken can show the token: a key ring
	// is configured, the token was sealed with one of its keys and it has
	// not expired. Without it, the page shows only the Regenerate button.
	Retrievable bool
	// Expired is true when the token has expired (Policy.Token.TTL): it no
	// longer authenticates and must be regenerated.
	Expired bool
	// CreatedAt is when the token was generated; zero without a token.
	CreatedAt time.Time
	// ExpiresAt is when the token stops authenticating; zero: never.
	ExpiresAt time.Time
}

func (s *Service) tokenView(rec Record, pol Policy) TokenView {
	st := rec.Token
	if st.Digest.IsZero() {
		return TokenView{}
	}
	v := TokenView{HasToken: true, CreatedAt: st.CreatedAt, ExpiresAt: st.ExpiresAt}
	if pol.Token.TTL > 0 {
		if until := st.CreatedAt.Add(pol.Token.TTL); v.ExpiresAt.IsZero() || until.Before(v.ExpiresAt) {
			v.ExpiresAt = until
		}
	}
	v.Expired = tokenExpired(st, pol, s.clock())
	v.Retrievable = !v.Expired && s.tok.retrievable(st)
	return v
}

// Token is an API token held as a secret: String, GoString, Format (every
// verb), MarshalJSON, MarshalText and LogValue all give a redacted form,
// the prefix and the last 4 characters ("pk_…x7Qa"), so that a token put in
// a log line, an error or a JSON document by accident does not leak.
// Plaintext is the one way to the secret. The zero Token is no token and
// prints as the empty string. A Token is immutable and safe for concurrent
// use.
type Token struct {
	// A pointer, so that even fmt's reflection into a host's struct holding
	// a Token in an unexported field prints an address, not the secret.
	p *tokenSecret
}

type tokenSecret struct{ v string }

func newToken(v string) Token { return Token{p: &tokenSecret{v: v}} }

// Plaintext returns the token itself: show it to its user, or put it in
// the request an integration sends. It is the only method that reveals it.
func (t Token) Plaintext() string {
	if t.p == nil {
		return ""
	}
	return t.p.v
}

// IsZero reports whether t is the zero Token.
func (t Token) IsZero() bool { return t.p == nil }

// Prefix returns the token's prefix, such as "pk_". It is not secret.
func (t Token) Prefix() string {
	v := t.Plaintext()
	if len(v) <= tokenTailLen {
		return ""
	}
	return v[:len(v)-tokenTailLen]
}

// String returns the redacted form: the prefix, "…" and the last 4
// characters, which are part of the checksum and reveal nothing of the
// random body beyond what the checksum does.
func (t Token) String() string {
	v := t.Plaintext()
	if v == "" {
		return ""
	}
	if len(v) <= tokenTailLen {
		return "…"
	}
	return v[:len(v)-tokenTailLen] + "…" + v[len(v)-4:]
}

// GoString returns the redacted form as Go syntax, for %#v.
func (t Token) GoString() string { return "profile.Token(" + strconv.Quote(t.String()) + ")" }

// Format prints the redacted form for every verb and flag: %#v gives
// GoString, %q the quoted redacted form, every other verb (%v, %+v, %s,
// %x, %d, ...) the redacted form itself, padded to any width asked.
func (t Token) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, t.GoString())
	case verb == 'q':
		_, _ = io.WriteString(f, strconv.Quote(t.String()))
	default:
		// The directive with its flags, width and precision, applied to
		// the redacted form as a string.
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), t.String())
	}
}

// MarshalJSON encodes the redacted form as a JSON string.
func (t Token) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// MarshalText returns the redacted form.
func (t Token) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// LogValue returns the redacted form, for log/slog.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// RevealToken returns the user's current token, for the copy button. It
// needs a key ring (Config.TokenKeys): the token is opened from its sealed
// copy in the record.
//
// It returns ErrFeatureDisabled when the API Token tab is off for the user,
// ErrNotFound for an unknown user, ErrTokenNotRetrievable (wrapped, with the
// reason) when there is no key ring, the user has no token, the token was
// generated without a key ring or under a key no longer in the ring, or the
// sealed copy does not open (it was altered); and ErrInvalidToken when the
// token has expired. In every case the user's way forward is
// RegenerateToken. RevealToken changes nothing and is safe for concurrent
// use.
func (s *Service) RevealToken(ctx context.Context, userID string) (Token, error) {
	pol, err := s.requireFeature(ctx, userID, featureAPIToken)
	if err != nil {
		return Token{}, err
	}
	rec, err := s.get(ctx, userID)
	if err != nil {
		return Token{}, err
	}
	if rec.Token.Digest.IsZero() {
		return Token{}, fmt.Errorf("profile: reveal token of %q: the user has no token: %w", userID, ErrTokenNotRetrievable)
	}
	if tokenExpired(rec.Token, pol, s.clock()) {
		return Token{}, fmt.Errorf("profile: reveal token of %q: the token has expired: %w", userID, ErrInvalidToken)
	}
	tok, err := s.tok.open(userID, rec.Token)
	if err != nil {
		return Token{}, fmt.Errorf("profile: reveal token of %q: %w: %w", userID, ErrTokenNotRetrievable, err)
	}
	return newToken(tok), nil
}

// RegenerateToken gives the user a new token, the first one included, and
// returns it. The new token replaces the old one in a single
// compare-and-swap write of the record, so from the moment RegenerateToken
// returns the old token fails Authenticate, in this Service and in every
// other one over the same store. With a key ring the token is also sealed
// for RevealToken; without one, this is the only time it can be shown, and
// the caller must show it now. With Policy.Token.TTL set, the token expires
// after TTL. On success it emits EventTokenRegenerated (without the token).
//
// Concurrent regenerations of one user's token coalesce. When another
// regeneration (or a first generation) writes the record between this
// call's read and its write, this call writes nothing: the other write won,
// and this call returns the winner's token (opened from its sealed copy)
// instead of replacing it, so both callers hold the same, valid token.
// Without a key ring the winner's token cannot be shown here, and this call
// returns an error that matches both ErrConflict and ErrTokenNotRetrievable;
// the user regenerates again if they need the token on this screen. A
// regeneration that starts after another has finished replaces its token,
// as a regeneration must. (A concurrent profile edit or password change is
// not a regeneration: the write is simply retried.)
//
// It returns ErrFeatureDisabled when the API Token tab is off for the user
// and ErrNotFound for an unknown user. RegenerateToken is safe for
// concurrent use.
func (s *Service) RegenerateToken(ctx context.Context, userID string) (Token, error) {
	pol, err := s.requireFeature(ctx, userID, featureAPIToken)
	if err != nil {
		return Token{}, err
	}
	var (
		base      TokenDigest // the digest this call set out to replace
		haveBase  bool
		coalesced bool
		fresh     string // the token of this call's latest attempt
	)
	for collisions := 0; ; collisions++ {
		rec, err := s.modify(ctx, userID, func(r *Record) error {
			if !haveBase {
				base, haveBase = r.Token.Digest, true
			} else if d := r.Token.Digest; d != base && !d.IsZero() {
				// Another regeneration wrote since our first read.
				coalesced = true
				return errNoChange
			}
			now := s.clock()
			var nonceBuf [chacha20poly1305.NonceSizeX]byte
			nonce := nonceBuf[:0]
			if s.tok.sealer != nil {
				nonce = nonceBuf[:]
			}
			tok, d := s.tok.generate(nonce)
			st := TokenState{Digest: d, CreatedAt: now}
			if pol.Token.TTL > 0 {
				st.ExpiresAt = now.Add(pol.Token.TTL)
			}
			if s.tok.sealer != nil {
				st.KeyID, st.Sealed = s.tok.seal(userID, d, tok, nonce)
			}
			r.Token = st
			fresh = tok
			return nil
		})
		switch {
		case err == nil && coalesced:
			tok, err := s.tok.open(userID, rec.Token)
			if err == nil && tokenExpired(rec.Token, pol, s.clock()) {
				err = errors.New("the token has already expired")
			}
			if err != nil {
				return Token{}, fmt.Errorf("profile: regenerate token of %q: a concurrent regeneration won and its token cannot be shown here (%w): %w: %w", userID, err, ErrConflict, ErrTokenNotRetrievable)
			}
			return newToken(tok), nil
		case err == nil:
			s.emit(ctx, EventTokenRegenerated, userID, nil)
			return newToken(fresh), nil
		case errors.Is(err, ErrExists) && collisions+1 < maxTokenCollisions:
			// The new digest is already indexed: draw another token.
			continue
		default:
			return Token{}, err
		}
	}
}

// RevokeToken removes the user's token: from the moment it returns, the
// token fails Authenticate in every Service over the same store. Revoking
// when there is no token does nothing and returns nil. On a revocation it
// emits EventTokenRevoked.
//
// It returns ErrFeatureDisabled when the API Token tab is off for the user
// and ErrNotFound for an unknown user. RevokeToken is safe for concurrent
// use.
func (s *Service) RevokeToken(ctx context.Context, userID string) error {
	if _, err := s.requireFeature(ctx, userID, featureAPIToken); err != nil {
		return err
	}
	revoked := false
	_, err := s.modify(ctx, userID, func(r *Record) error {
		revoked = !r.Token.Digest.IsZero()
		if !revoked {
			return errNoChange
		}
		r.Token = TokenState{}
		return nil
	})
	if err != nil {
		return err
	}
	if revoked {
		s.emit(ctx, EventTokenRevoked, userID, nil)
	}
	return nil
}

// Authenticate returns the ID of the user whose API token this is. It is
// the hot path, run on every request of every integration: it checks the
// token's shape and checksum without allocating, hashes it with SHA-256,
// makes one GetByToken lookup, compares the digests in constant time and
// checks expiry and the user's API Token feature.
//
// Every reason to refuse the token returns ErrInvalidToken itself,
// unwrapped: malformed, mistyped (bad checksum), another host's prefix,
// unknown, replaced by a regeneration, revoked, expired, the owner deleted,
// or the API Token feature turned off for the owner by the administrator
// (the token authenticates again if the feature is turned back on; revoke
// it to end it for good). Timing can tell apart only three groups: a
// checksum reject (a string nobody issued), an index miss (never issued,
// revoked or replaced), and a token that is still current but refused
// (expired, or its owner's feature off), which also reads the record.
// Telling the last two apart requires presenting the exact 256-bit token,
// so it reveals nothing to a caller who does not already hold it.
//
// Errors of the store or of Config.PolicyFor, and a done ctx, are returned
// wrapped, so that a host can answer "unavailable" rather than
// "unauthorized".
//
// Authenticate is safe for concurrent use.
func (s *Service) Authenticate(ctx context.Context, token string) (string, error) {
	n, ok := parseToken(token)
	if !ok || token[:n] != s.tok.prefix {
		return "", ErrInvalidToken
	}
	var buf [maxTokenLen]byte
	d := TokenDigest(sha256.Sum256(buf[:copy(buf[:], token)]))
	rec, err := s.store.GetByToken(ctx, d)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return "", ErrInvalidToken
		}
		return "", fmt.Errorf("profile: authenticate: %w", err)
	}
	if subtle.ConstantTimeCompare(rec.Token.Digest[:], d[:]) != 1 {
		return "", ErrInvalidToken // a store whose index disagrees with its record
	}
	userID := rec.UserID
	pol, err := s.policyOf(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("profile: authenticate: %w", err)
	}
	if !pol.Features.APIToken {
		return "", ErrInvalidToken
	}
	if (!rec.Token.ExpiresAt.IsZero() || pol.Token.TTL > 0) && tokenExpired(rec.Token, pol, s.clock()) {
		return "", ErrInvalidToken
	}
	return rec.UserID, nil
}
