package profile_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// countingStore wraps the memory store and counts the calls of each method,
// so a test can prove that a token was refused before any store read.
type countingStore struct {
	*memory.Store
	creates, gets, updates, deletes, lookups atomic.Int64
}

func newCountingStore() *countingStore { return &countingStore{Store: memory.New()} }

func (c *countingStore) Create(ctx context.Context, r profile.Record) error {
	c.creates.Add(1)
	return c.Store.Create(ctx, r)
}

func (c *countingStore) Get(ctx context.Context, userID string) (profile.Record, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, userID)
}

func (c *countingStore) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	c.updates.Add(1)
	return c.Store.Update(ctx, r)
}

func (c *countingStore) Delete(ctx context.Context, userID string) error {
	c.deletes.Add(1)
	return c.Store.Delete(ctx, userID)
}

func (c *countingStore) GetByToken(ctx context.Context, d profile.TokenDigest) (profile.Record, error) {
	c.lookups.Add(1)
	return c.Store.GetByToken(ctx, d)
}

// calls returns the total number of store calls so far.
func (c *countingStore) calls() int64 {
	return c.creates.Load() + c.gets.Load() + c.updates.Load() + c.deletes.Load() + c.lookups.Load()
}

// tokFixture is a Service with the API Token tab on for everyone, over a
// counting memory store, with users alice and bob, recording events.
type tokFixture struct {
	svc   *profile.Service
	store *countingStore
	now   atomic.Pointer[time.Time]

	mu     sync.Mutex
	events []profile.Event
}

func (f *tokFixture) Events() []profile.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]profile.Event(nil), f.events...)
}

func (f *tokFixture) advance(d time.Duration) {
	t := f.now.Load().Add(d)
	f.now.Store(&t)
}

// tokKey returns a deterministic 32-byte test key.
func tokKey(seed byte) []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = seed + byte(i)*7 + 1
	}
	return k
}

func tokRing(ids ...string) []profile.TokenKey {
	ring := make([]profile.TokenKey, len(ids))
	for i, id := range ids {
		ring[i] = profile.TokenKey{ID: id, Key: tokKey(id[0])}
	}
	return ring
}

// newTokFixture builds the fixture; edit may change the Config (its Store
// is set to the counting store, which edit may wrap).
func newTokFixture(t testing.TB, edit func(*profile.Config)) *tokFixture {
	t.Helper()
	f := &tokFixture{store: newCountingStore()}
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	f.now.Store(&start)
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	cfg := profile.Config{
		Store:  f.store,
		Policy: &pol,
		Clock:  func() time.Time { return *f.now.Load() },
		Events: func(_ context.Context, e profile.Event) {
			f.mu.Lock()
			f.events = append(f.events, e)
			f.mu.Unlock()
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	svc, err := profile.New(cfg)
	require.NoError(t, err)
	f.svc = svc
	ctx := context.Background()
	require.NoError(t, svc.CreateUser(ctx, "alice", profile.Profile{FirstName: "Alice", LastName: "Martin", Email: "alice@example.com"}))
	require.NoError(t, svc.CreateUser(ctx, "bob", profile.Profile{FirstName: "Bob", LastName: "Stone", Email: "bob@example.com"}))
	f.mu.Lock()
	f.events = nil
	f.mu.Unlock()
	return f
}

func withRing(ids ...string) func(*profile.Config) {
	return func(c *profile.Config) { c.TokenKeys = tokRing(ids...) }
}

var tokenShape = regexp.MustCompile(`^([a-z_]{1,16})[0-9A-Za-z]{49}$`)

func TestNew_TokenPrefixIsValidated(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"", true}, // the default, pk_
		{"pk_", true},
		{"acme_", true},
		{"x", true},
		{"abcdefghijklmnop", true}, // 16 bytes
		{"abcdefghijklmnopq", false},
		{"PK_", false},
		{"pk-", false},
		{"pk1_", false},
		{"pk_é", false},
		{"pk ", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.prefix), func(t *testing.T) {
			_, err := profile.New(profile.Config{Store: memory.New(), TokenPrefix: tc.prefix})
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Config.TokenPrefix")
		})
	}
}

func TestNew_TokenKeysAreValidated(t *testing.T) {
	good := tokKey(1)
	for _, tc := range []struct {
		name string
		keys []profile.TokenKey
		want string // "" when valid
	}{
		{"one key", []profile.TokenKey{{ID: "k1", Key: good}}, ""},
		{"two keys", []profile.TokenKey{{ID: "k2", Key: tokKey(2)}, {ID: "k1", Key: good}}, ""},
		{"32-byte ID", []profile.TokenKey{{ID: strings.Repeat("k", 32), Key: good}}, ""},
		{"empty ID", []profile.TokenKey{{ID: "", Key: good}}, "Config.TokenKeys[0]"},
		{"33-byte ID", []profile.TokenKey{{ID: strings.Repeat("k", 33), Key: good}}, "Config.TokenKeys[0]"},
		{"space in ID", []profile.TokenKey{{ID: "key 1", Key: good}}, "Config.TokenKeys[0]"},
		{"control in ID", []profile.TokenKey{{ID: "k\x01", Key: good}}, "Config.TokenKeys[0]"},
		{"non-ASCII ID", []profile.TokenKey{{ID: "clé", Key: good}}, "Config.TokenKeys[0]"},
		{"duplicate ID", []profile.TokenKey{{ID: "k", Key: good}, {ID: "k", Key: tokKey(2)}}, "Config.TokenKeys[1]"},
		{"short key", []profile.TokenKey{{ID: "k", Key: good[:31]}}, "Config.TokenKeys[0]"},
		{"long key", []profile.TokenKey{{ID: "k", Key: append(append([]byte(nil), good...), 1)}}, "Config.TokenKeys[0]"},
		{"nil key", []profile.TokenKey{{ID: "k"}}, "Config.TokenKeys[0]"},
		{"zero key", []profile.TokenKey{{ID: "k", Key: make([]byte, 32)}}, "Config.TokenKeys[0]"},
		{"second key bad", []profile.TokenKey{{ID: "k1", Key: good}, {ID: "k2", Key: good[:16]}}, "Config.TokenKeys[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := profile.New(profile.Config{Store: memory.New(), TokenKeys: tc.keys})
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			for _, k := range tc.keys {
				if len(k.Key) > 0 {
					assert.NotContains(t, err.Error(), string(k.Key), "the key is not in the error")
				}
			}
		})
	}
}

func TestNew_TokenKeysAreCopied(t *testing.T) {
	key := tokKey(1)
	f := newTokFixture(t, func(c *profile.Config) { c.TokenKeys = []profile.TokenKey{{ID: "k", Key: key}} })
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	clear(key) // the host reuses its buffer
	got, err := f.svc.RevealToken(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, tok.Plaintext(), got.Plaintext())
}

func TestRegenerateToken_FormatIsPrefixBodyAndChecksum(t *testing.T) {
	for _, prefix := range []string{"", "acme_", "x"} {
		t.Run(prefix, func(t *testing.T) {
			f := newTokFixture(t, func(c *profile.Config) { c.TokenPrefix = prefix })
			tok, err := f.svc.RegenerateToken(context.Background(), "alice")
			require.NoError(t, err)
			want := prefix
			if want == "" {
				want = profile.DefaultTokenPrefix
			}
			m := tokenShape.FindStringSubmatch(tok.Plaintext())
			require.NotNil(t, m, "token shape")
			assert.Equal(t, want, m[1])
			assert.Equal(t, want, tok.Prefix())
			parsed, err := profile.ParseToken(tok.Plaintext())
			require.NoError(t, err)
			assert.Equal(t, tok.Plaintext(), parsed.Plaintext())
		})
	}
}

// tokenAlphabet is the body alphabet plus characters a token never has.
const tokenTestChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-+/= .\x00\xff"

func TestAuthenticate_EverySingleCharacterChangeIsRejectedWithoutStoreCall(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	plain := tok.Plaintext()
	before := f.store.calls()
	tried := 0
	for i := 0; i < len(plain); i++ {
		for j := 0; j < len(tokenTestChars); j++ {
			c := tokenTestChars[j]
			if c == plain[i] {
				continue
			}
			bad := plain[:i] + string([]byte{c}) + plain[i+1:]
			_, err := f.svc.Authenticate(ctx, bad)
			require.ErrorIs(t, err, profile.ErrInvalidToken, "position %d -> %q", i, c)
			assert.Same(t, profile.ErrInvalidToken, err, "the sentinel itself")
			_, err = profile.ParseToken(bad)
			require.ErrorIs(t, err, profile.ErrInvalidToken, "ParseToken, position %d -> %q", i, c)
			tried++
		}
	}
	assert.Greater(t, tried, 52*60)
	assert.Equal(t, before, f.store.calls(), "no store call for a mistyped token")
	id, err := f.svc.Authenticate(ctx, plain)
	require.NoError(t, err)
	assert.Equal(t, "alice", id)
}

func TestAuthenticate_NeighbourSwapIsRejectedWithoutStoreCall(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	plain := []byte(tok.Plaintext())
	before := f.store.calls()
	for i := 0; i+1 < len(plain); i++ {
		if plain[i] == plain[i+1] {
			continue
		}
		bad := append([]byte(nil), plain...)
		bad[i], bad[i+1] = bad[i+1], bad[i]
		_, err := f.svc.Authenticate(ctx, string(bad))
		assert.ErrorIs(t, err, profile.ErrInvalidToken, "swap at %d", i)
	}
	assert.Equal(t, before, f.store.calls())
}

func TestAuthenticate_MalformedIsRejectedWithoutStoreCall(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	plain := tok.Plaintext()
	other := newTokFixture(t, func(c *profile.Config) { c.TokenPrefix = "sk_" })
	foreign, err := other.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	before := f.store.calls()
	for name, s := range map[string]string{
		"empty":          "",
		"prefix only":    "pk_",
		"truncated":      plain[:len(plain)-1],
		"extended":       plain + "0",
		"leading space":  " " + plain,
		"trailing space": plain + " ",
		"bearer":         "Bearer " + plain,
		"lower-cased":    strings.ToLower(plain),
		"other prefix":   foreign.Plaintext(), // well formed, another host's prefix
		"huge":           strings.Repeat("a", 1<<20),
		"unicode":        "pk_" + strings.Repeat("é", 25),
	} {
		_, err := f.svc.Authenticate(ctx, s)
		assert.ErrorIs(t, err, profile.ErrInvalidToken, name)
	}
	assert.Equal(t, before, f.store.calls())
}

func TestAuthenticate_HitIsOneIndexLookup(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "bob")
	require.NoError(t, err)
	gets, lookups := f.store.gets.Load(), f.store.lookups.Load()
	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err)
	assert.Equal(t, "bob", id)
	assert.Equal(t, int64(1), f.store.lookups.Load()-lookups, "GetByToken calls")
	assert.Equal(t, int64(0), f.store.gets.Load()-gets, "Get calls")
}

func TestAuthenticate_UnknownWellFormedTokenIsRefused(t *testing.T) {
	f := newTokFixture(t, nil)
	other := newTokFixture(t, nil) // same prefix, another store
	tok, err := other.svc.RegenerateToken(context.Background(), "alice")
	require.NoError(t, err)
	_, err = f.svc.Authenticate(context.Background(), tok.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err)
}

func TestAuthenticate_EachUserGetsTheirOwnToken(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	a, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	b, err := f.svc.RegenerateToken(ctx, "bob")
	require.NoError(t, err)
	assert.NotEqual(t, a.Plaintext(), b.Plaintext())
	for tok, want := range map[string]string{a.Plaintext(): "alice", b.Plaintext(): "bob"} {
		id, err := f.svc.Authenticate(ctx, tok)
		require.NoError(t, err)
		assert.Equal(t, want, id)
	}
}

func TestRegenerateToken_OldTokenFailsAtOnceInEveryInstance(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	second, err := profile.New(profile.Config{Store: f.store, Policy: &pol}) // another app instance
	require.NoError(t, err)

	old, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	for _, svc := range []*profile.Service{f.svc, second} {
		id, err := svc.Authenticate(ctx, old.Plaintext())
		require.NoError(t, err)
		require.Equal(t, "alice", id)
	}

	cur, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	require.NotEqual(t, old.Plaintext(), cur.Plaintext())
	for i, svc := range []*profile.Service{f.svc, second} {
		_, err := svc.Authenticate(ctx, old.Plaintext())
		assert.Same(t, profile.ErrInvalidToken, err, "instance %d: old token", i)
		id, err := svc.Authenticate(ctx, cur.Plaintext())
		require.NoError(t, err, "instance %d: new token", i)
		assert.Equal(t, "alice", id)
	}
}

func TestRegenerateToken_IsOneWrite(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	_, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	updates := f.store.updates.Load()
	_, err = f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, int64(1), f.store.updates.Load()-updates)
}

func TestRegenerateToken_RecordHoldsDigestAndSealNotTheToken(t *testing.T) {
	f := newTokFixture(t, func(c *profile.Config) {
		c.TokenKeys = tokRing("k2", "k1")
		p := profile.DefaultPolicy()
		p.Features = profile.AllFeatures()
		p.Token.TTL = 24 * time.Hour
		c.Policy = &p
	})
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	rec, err := f.store.Store.Get(ctx, "alice")
	require.NoError(t, err)
	assert.False(t, rec.Token.Digest.IsZero())
	assert.Equal(t, "k2", rec.Token.KeyID, "the first key seals")
	assert.Equal(t, *f.now.Load(), rec.Token.CreatedAt)
	assert.Equal(t, f.now.Load().Add(24*time.Hour), rec.Token.ExpiresAt)
	assert.Len(t, rec.Token.Sealed, 24+len(tok.Plaintext())+16)
	assert.NotContains(t, string(rec.Token.Sealed), tok.Plaintext()[3:])
	byToken, err := f.store.GetByToken(ctx, rec.Token.Digest)
	require.NoError(t, err)
	assert.Equal(t, "alice", byToken.UserID)
}

func TestRevealToken_ReturnsTheCurrentToken(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	first, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	got, err := f.svc.RevealToken(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, first.Plaintext(), got.Plaintext())

	second, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	got, err = f.svc.RevealToken(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, second.Plaintext(), got.Plaintext())
}

func TestRevealToken_WithoutKeyRingTokenIsShownOnlyOnce(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	require.NotEmpty(t, tok.Plaintext(), "shown once, at regeneration")

	_, err = f.svc.RevealToken(ctx, "alice")
	require.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
	assert.NotContains(t, err.Error(), tok.Plaintext())
	assert.Contains(t, f.svc.Message("en", err), "Regenerate")

	rec, err := f.store.Store.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, rec.Token.Sealed)
	assert.Empty(t, rec.Token.KeyID)

	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	require.NotNil(t, page.APIToken)
	assert.True(t, page.APIToken.HasToken)
	assert.False(t, page.APIToken.Retrievable)

	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err, "the token still works")
	assert.Equal(t, "alice", id)
}

func TestRevealToken_NoTokenIsNotRetrievable(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	_, err := f.svc.RevealToken(context.Background(), "alice")
	assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
	page, err := f.svc.Page(context.Background(), "alice")
	require.NoError(t, err)
	assert.Equal(t, profile.TokenView{}, *page.APIToken)
}

func TestRevealToken_KeyRotation(t *testing.T) {
	ctx := context.Background()
	f := newTokFixture(t, withRing("old"))
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	instance := func(ids ...string) *profile.Service {
		svc, err := profile.New(profile.Config{Store: f.store, Policy: &pol, TokenKeys: tokRing(ids...)})
		require.NoError(t, err)
		return svc
	}
	sealedBy := func(user string) string {
		rec, err := f.store.Store.Get(ctx, user)
		require.NoError(t, err)
		return rec.Token.KeyID
	}

	aliceTok, err := f.svc.RegenerateToken(ctx, "alice") // sealed under "old"
	require.NoError(t, err)
	require.Equal(t, "old", sealedBy("alice"))

	// Rotation: "new" goes first, "old" stays to open what it sealed.
	rotated := instance("new", "old")
	got, err := rotated.RevealToken(ctx, "alice")
	require.NoError(t, err, "old key still opens")
	assert.Equal(t, aliceTok.Plaintext(), got.Plaintext())

	bobTok, err := rotated.RegenerateToken(ctx, "bob")
	require.NoError(t, err)
	assert.Equal(t, "new", sealedBy("bob"), "new seals use the primary key")
	got, err = rotated.RevealToken(ctx, "bob")
	require.NoError(t, err)
	assert.Equal(t, bobTok.Plaintext(), got.Plaintext())

	// "old" retired before alice regenerated: her token still
	// authenticates but can no longer be copied.
	retired := instance("new")
	_, err = retired.RevealToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
	page, err := retired.Page(ctx, "alice")
	require.NoError(t, err)
	assert.False(t, page.APIToken.Retrievable)
	id, err := retired.Authenticate(ctx, aliceTok.Plaintext())
	require.NoError(t, err)
	assert.Equal(t, "alice", id)
	got, err = retired.RevealToken(ctx, "bob")
	require.NoError(t, err)
	assert.Equal(t, bobTok.Plaintext(), got.Plaintext())

	// An instance that only knows "old" cannot open what "new" sealed.
	_, err = instance("old").RevealToken(ctx, "bob")
	assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
}

func TestRevealToken_SameKeyIDWithAnotherKeyDoesNotOpen(t *testing.T) {
	ctx := context.Background()
	f := newTokFixture(t, withRing("k1"))
	_, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	impostor, err := profile.New(profile.Config{Store: f.store, Policy: &pol, TokenKeys: []profile.TokenKey{{ID: "k1", Key: tokKey(99)}}})
	require.NoError(t, err)
	_, err = impostor.RevealToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
}

func TestRevealToken_TamperedSealIsNotRetrievable(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper func(alice *profile.Record, bob profile.Record)
	}{
		{"ciphertext byte flipped", func(a *profile.Record, _ profile.Record) { a.Token.Sealed[30] ^= 1 }},
		{"nonce byte flipped", func(a *profile.Record, _ profile.Record) { a.Token.Sealed[0] ^= 0x80 }},
		{"tag byte flipped", func(a *profile.Record, _ profile.Record) { a.Token.Sealed[len(a.Token.Sealed)-1] ^= 1 }},
		{"truncated", func(a *profile.Record, _ profile.Record) { a.Token.Sealed = a.Token.Sealed[:20] }},
		{"bob's seal moved to alice", func(a *profile.Record, b profile.Record) {
			a.Token.Sealed, a.Token.KeyID = b.Token.Sealed, b.Token.KeyID
		}},
		{"relabelled with the other key", func(a *profile.Record, _ profile.Record) { a.Token.KeyID = "k2" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newTokFixture(t, withRing("k1", "k2"))
			_, err := f.svc.RegenerateToken(ctx, "alice")
			require.NoError(t, err)
			_, err = f.svc.RegenerateToken(ctx, "bob")
			require.NoError(t, err)
			a, err := f.store.Store.Get(ctx, "alice")
			require.NoError(t, err)
			b, err := f.store.Store.Get(ctx, "bob")
			require.NoError(t, err)
			tc.tamper(&a, b)
			_, err = f.store.Store.Update(ctx, a)
			require.NoError(t, err)

			_, err = f.svc.RevealToken(ctx, "alice")
			assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
		})
	}
}

// barrierStore holds the first n Gets, once they have read, until all n
// have read, so that n concurrent regenerations all read the same record
// before any of them writes.
type barrierStore struct {
	profile.Store
	n       int64
	arrived atomic.Int64
	open    chan struct{}
}

func newBarrierStore(s profile.Store, n int64) *barrierStore {
	return &barrierStore{Store: s, n: n, open: make(chan struct{})}
}

// arm restarts the count; call it before the concurrent callers start.
func (b *barrierStore) arm(n int64) {
	b.n, b.open = n, make(chan struct{})
	b.arrived.Store(0)
}

func (b *barrierStore) Get(ctx context.Context, userID string) (profile.Record, error) {
	rec, err := b.Store.Get(ctx, userID)
	if k := b.arrived.Add(1); k <= b.n {
		if k == b.n {
			close(b.open)
		}
		<-b.open
	}
	return rec, err
}

// historyStore records the digest of every successful token write.
type historyStore struct {
	profile.Store
	mu      sync.Mutex
	history []profile.TokenDigest
}

func (h *historyStore) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	h.mu.Lock() // serialise, so history is in commit order
	defer h.mu.Unlock()
	before, err := h.Store.Get(ctx, r.UserID)
	if err != nil {
		return profile.Record{}, err
	}
	out, err := h.Store.Update(ctx, r)
	if err == nil && out.Token.Digest != before.Token.Digest {
		h.history = append(h.history, out.Token.Digest)
	}
	return out, err
}

func (h *historyStore) committed() []profile.TokenDigest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]profile.TokenDigest(nil), h.history...)
}

const concurrentRegenerations = 32

type regenResult struct {
	tok profile.Token
	err error
}

// regenerateConcurrently runs concurrentRegenerations regenerations of
// user's token at once, spread over the given Services.
func regenerateConcurrently(t *testing.T, user string, svcs ...*profile.Service) []regenResult {
	t.Helper()
	res := make([]regenResult, concurrentRegenerations)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res[i].tok, res[i].err = svcs[i%len(svcs)].RegenerateToken(context.Background(), user)
		}()
	}
	close(start)
	wg.Wait()
	return res
}

// validTokens returns the distinct returned tokens that authenticate.
func validTokens(t *testing.T, svc *profile.Service, res []regenResult) map[string]bool {
	t.Helper()
	valid := map[string]bool{}
	for _, r := range res {
		if r.err != nil {
			continue
		}
		id, err := svc.Authenticate(context.Background(), r.tok.Plaintext())
		if err == nil {
			assert.Equal(t, "alice", id)
			valid[r.tok.Plaintext()] = true
		} else {
			assert.Same(t, profile.ErrInvalidToken, err)
		}
	}
	return valid
}

func TestRegenerateToken_32OverlappingRegenerationsAllReturnTheOneValidToken(t *testing.T) {
	var barrier *barrierStore
	f := newTokFixture(t, func(c *profile.Config) {
		c.TokenKeys = tokRing("k1")
		barrier = newBarrierStore(c.Store, 0)
		c.Store = barrier
	})
	_, err := f.svc.RegenerateToken(context.Background(), "alice") // an existing token
	require.NoError(t, err)
	pol := profile.DefaultPolicy()
	pol.Features = profile.AllFeatures()
	second, err := profile.New(profile.Config{ // another app instance, same events sink
		Store: barrier, Policy: &pol, TokenKeys: tokRing("k1"),
		Events: func(_ context.Context, e profile.Event) {
			f.mu.Lock()
			f.events = append(f.events, e)
			f.mu.Unlock()
		},
	})
	require.NoError(t, err)
	barrier.arm(concurrentRegenerations)
	f.mu.Lock()
	f.events = nil
	f.mu.Unlock()

	res := regenerateConcurrently(t, "alice", f.svc, second)

	for i, r := range res {
		require.NoError(t, r.err, "caller %d", i)
		assert.Equal(t, res[0].tok.Plaintext(), r.tok.Plaintext(), "caller %d holds the winner's token", i)
	}
	valid := validTokens(t, f.svc, res)
	assert.Len(t, valid, 1, "exactly one valid token")
	assert.Len(t, f.Events(), 1, "one regeneration happened")
	revealed, err := f.svc.RevealToken(context.Background(), "alice")
	require.NoError(t, err)
	assert.True(t, valid[revealed.Plaintext()])
}

func TestRegenerateToken_32OverlappingWithoutKeyRingOneWinsOthersAreTold(t *testing.T) {
	var barrier *barrierStore
	f := newTokFixture(t, func(c *profile.Config) {
		barrier = newBarrierStore(c.Store, concurrentRegenerations)
		c.Store = barrier
	})

	res := regenerateConcurrently(t, "alice", f.svc)

	won := 0
	for _, r := range res {
		if r.err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, r.err, profile.ErrConflict)
		assert.ErrorIs(t, r.err, profile.ErrTokenNotRetrievable)
		assert.True(t, r.tok.IsZero(), "no token with an error")
		assert.Contains(t, f.svc.Message("en", r.err), "Regenerate")
	}
	assert.Equal(t, 1, won, "one caller got the token")
	assert.Len(t, validTokens(t, f.svc, res), 1, "and it is valid")
	assert.Len(t, f.Events(), 1)
}

func TestRegenerateToken_32ConcurrentLeaveExactlyOneValidToken(t *testing.T) {
	for _, ring := range [][]string{nil, {"k1"}} {
		t.Run(fmt.Sprintf("keys=%v", ring), func(t *testing.T) {
			var hist *historyStore
			f := newTokFixture(t, func(c *profile.Config) {
				if ring != nil {
					c.TokenKeys = tokRing(ring...)
				}
				hist = &historyStore{Store: c.Store}
				c.Store = hist
			})
			ctx := context.Background()

			res := regenerateConcurrently(t, "alice", f.svc)

			committed := hist.committed()
			require.NotEmpty(t, committed)
			final, err := f.store.Store.Get(ctx, "alice")
			require.NoError(t, err)
			require.Equal(t, committed[len(committed)-1], final.Token.Digest)

			valid := validTokens(t, f.svc, res)
			require.Len(t, valid, 1, "exactly one valid token")
			for tok := range valid {
				parsed, err := profile.ParseToken(tok)
				require.NoError(t, err)
				_ = parsed
			}
			// Every token a caller got was stored by a successful write;
			// the ones that no longer authenticate were replaced by a later
			// write (a regeneration that started after theirs finished).
			idx := map[profile.TokenDigest]int{}
			for i, d := range committed {
				idx[d] = i
			}
			for i, r := range res {
				if r.err != nil {
					assert.ErrorIs(t, r.err, profile.ErrConflict, "caller %d", i)
					continue
				}
				at, ok := idx[digestOf(r.tok.Plaintext())]
				require.True(t, ok, "caller %d got a token that was never stored", i)
				if !valid[r.tok.Plaintext()] {
					assert.Less(t, at, len(committed)-1, "caller %d", i)
				}
			}
			assert.Len(t, f.Events(), len(committed), "one event per write")
		})
	}
}

func TestRegenerateToken_ConcurrentProfileEditIsRetriedNotCoalesced(t *testing.T) {
	var barrier *barrierStore
	f := newTokFixture(t, func(c *profile.Config) {
		barrier = newBarrierStore(c.Store, 2)
		c.Store = barrier
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	var tok profile.Token
	var regenErr, editErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		tok, regenErr = f.svc.RegenerateToken(ctx, "alice")
	}()
	go func() {
		defer wg.Done()
		name := "Alicia"
		_, editErr = f.svc.UpdateProfile(ctx, "alice", profile.ProfileUpdate{FirstName: &name})
	}()
	wg.Wait()
	require.NoError(t, editErr)
	require.NoError(t, regenErr)
	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err)
	assert.Equal(t, "alice", id)
}

// collidingStore answers the first n token writes with ErrExists, as a
// store does when the new digest is already indexed.
type collidingStore struct {
	profile.Store
	n atomic.Int64
}

func (c *collidingStore) Update(ctx context.Context, r profile.Record) (profile.Record, error) {
	if c.n.Add(-1) >= 0 {
		return profile.Record{}, fmt.Errorf("colliding: %w", profile.ErrExists)
	}
	return c.Store.Update(ctx, r)
}

func TestRegenerateToken_DigestCollisionDrawsAnotherToken(t *testing.T) {
	var cs *collidingStore
	f := newTokFixture(t, func(c *profile.Config) {
		cs = &collidingStore{Store: c.Store}
		c.Store = cs
	})
	ctx := context.Background()
	cs.n.Store(2)
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err)
	assert.Equal(t, "alice", id)
	assert.Equal(t, int64(-1), cs.n.Load(), "two refused writes, then one that landed")
	assert.Equal(t, int64(1), f.store.updates.Load())

	cs.n.Store(1000)
	_, err = f.svc.RegenerateToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrExists, "gives up after a few draws")
	id, err = f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err, "nothing changed")
	assert.Equal(t, "alice", id)
}

func TestTokenOperations_FeatureOffIsRefusedAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	var off atomic.Bool
	f := newTokFixture(t, func(c *profile.Config) {
		c.TokenKeys = tokRing("k1")
		c.PolicyFor = func(context.Context, string) (profile.Policy, error) {
			p := profile.DefaultPolicy()
			p.Features.APIToken = !off.Load()
			return p, nil
		}
	})
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	off.Store(true)
	updates := f.store.updates.Load()
	f.mu.Lock()
	f.events = nil
	f.mu.Unlock()

	_, err = f.svc.RevealToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled, "reveal")
	got, err := f.svc.RegenerateToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrFeatureDisabled, "regenerate")
	assert.True(t, got.IsZero())
	assert.ErrorIs(t, f.svc.RevokeToken(ctx, "alice"), profile.ErrFeatureDisabled, "revoke")
	assert.Equal(t, updates, f.store.updates.Load(), "no write")
	assert.Empty(t, f.Events())

	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.Nil(t, page.APIToken)
	assert.NotContains(t, page.Tabs, profile.TabAPIToken)

	off.Store(false)
	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err, "the token survived")
	assert.Equal(t, "alice", id)
}

func TestAuthenticate_FeatureTurnedOffRefusesTheToken(t *testing.T) {
	ctx := context.Background()
	var off atomic.Bool
	f := newTokFixture(t, func(c *profile.Config) {
		c.PolicyFor = func(_ context.Context, userID string) (profile.Policy, error) {
			p := profile.DefaultPolicy()
			p.Features.APIToken = userID != "alice" || !off.Load()
			return p, nil
		}
	})
	alice, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	bob, err := f.svc.RegenerateToken(ctx, "bob")
	require.NoError(t, err)

	off.Store(true) // the admin turns the API token off for alice
	_, err = f.svc.Authenticate(ctx, alice.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err)
	id, err := f.svc.Authenticate(ctx, bob.Plaintext())
	require.NoError(t, err, "bob is not affected")
	assert.Equal(t, "bob", id)

	off.Store(false) // documented: turning it back on revives the token
	id, err = f.svc.Authenticate(ctx, alice.Plaintext())
	require.NoError(t, err)
	assert.Equal(t, "alice", id)
}

func TestAuthenticate_ExpiredTokenIsRefused(t *testing.T) {
	ctx := context.Background()
	f := newTokFixture(t, func(c *profile.Config) {
		c.TokenKeys = tokRing("k1")
		c.Policy.Token.TTL = time.Hour
	})
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)

	f.advance(time.Hour - time.Nanosecond)
	id, err := f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err, "just before expiry")
	assert.Equal(t, "alice", id)
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.False(t, page.APIToken.Expired)
	assert.True(t, page.APIToken.Retrievable)

	f.advance(time.Nanosecond)
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err, "at expiry")
	_, err = f.svc.RevealToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrInvalidToken, "an expired token is not copied")
	page, err = f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.True(t, page.APIToken.Expired)
	assert.False(t, page.APIToken.Retrievable)

	fresh, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	id, err = f.svc.Authenticate(ctx, fresh.Plaintext())
	require.NoError(t, err, "a regenerated token works again")
	assert.Equal(t, "alice", id)
}

func TestAuthenticate_ShortenedTTLAppliesToIssuedTokens(t *testing.T) {
	ctx := context.Background()
	var ttl atomic.Int64
	f := newTokFixture(t, func(c *profile.Config) {
		c.PolicyFor = func(context.Context, string) (profile.Policy, error) {
			p := profile.DefaultPolicy()
			p.Features = profile.AllFeatures()
			p.Token.TTL = time.Duration(ttl.Load())
			return p, nil
		}
	})
	tok, err := f.svc.RegenerateToken(ctx, "alice") // no TTL: no expiry
	require.NoError(t, err)
	f.advance(48 * time.Hour)
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	require.NoError(t, err)

	ttl.Store(int64(24 * time.Hour)) // the admin sets a TTL
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err)
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.True(t, page.APIToken.Expired)
	assert.Equal(t, f.now.Load().Add(-24*time.Hour), page.APIToken.ExpiresAt)
}

func TestAuthenticate_DeletedUsersTokenIsRefused(t *testing.T) {
	f := newTokFixture(t, nil)
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	require.NoError(t, f.svc.DeleteUser(ctx, "alice"))
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err)
}

// failingStore fails every GetByToken with an infrastructure error.
type failingStore struct{ profile.Store }

var errStoreDown = errors.New("store is down")

func (failingStore) GetByToken(context.Context, profile.TokenDigest) (profile.Record, error) {
	return profile.Record{}, errStoreDown
}

func TestAuthenticate_StoreFailureIsNotAnInvalidToken(t *testing.T) {
	f := newTokFixture(t, func(c *profile.Config) { c.Store = failingStore{c.Store} })
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	require.Error(t, err)
	assert.ErrorIs(t, err, errStoreDown)
	assert.NotErrorIs(t, err, profile.ErrInvalidToken)
	assert.NotContains(t, err.Error(), tok.Plaintext())
}

func TestAuthenticate_PolicyFailureIsNotAnInvalidToken(t *testing.T) {
	var failing atomic.Bool
	errPolicyDown := errors.New("policy service is down")
	f := newTokFixture(t, func(c *profile.Config) {
		c.PolicyFor = func(context.Context, string) (profile.Policy, error) {
			if failing.Load() {
				return profile.Policy{}, errPolicyDown
			}
			p := profile.DefaultPolicy()
			p.Features = profile.AllFeatures()
			return p, nil
		}
	})
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	failing.Store(true)
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.ErrorIs(t, err, errPolicyDown)
	assert.NotErrorIs(t, err, profile.ErrInvalidToken)
}

func TestAuthenticate_CancelledContextIsNotAnInvalidToken(t *testing.T) {
	f := newTokFixture(t, nil)
	tok, err := f.svc.RegenerateToken(context.Background(), "alice")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRevokeToken_TokenStopsWorkingAndEventIsEmitted(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	tok, err := f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	require.NoError(t, f.svc.RevokeToken(ctx, "alice"))

	_, err = f.svc.Authenticate(ctx, tok.Plaintext())
	assert.Same(t, profile.ErrInvalidToken, err)
	_, err = f.svc.RevealToken(ctx, "alice")
	assert.ErrorIs(t, err, profile.ErrTokenNotRetrievable)
	rec, err := f.store.Store.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, profile.TokenState{}, rec.Token)
	ev := f.Events()
	require.Len(t, ev, 2)
	assert.Equal(t, profile.EventTokenRegenerated, ev[0].Kind)
	assert.Equal(t, profile.EventTokenRevoked, ev[1].Kind)
	assert.Equal(t, "alice", ev[1].UserID)
}

func TestRevokeToken_WithoutTokenDoesNothing(t *testing.T) {
	f := newTokFixture(t, nil)
	updates := f.store.updates.Load()
	require.NoError(t, f.svc.RevokeToken(context.Background(), "alice"))
	assert.Equal(t, updates, f.store.updates.Load())
	assert.Empty(t, f.Events())
}

func TestTokenOperations_UnknownAndInvalidUser(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	_, err := f.svc.RegenerateToken(ctx, "carol")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	_, err = f.svc.RevealToken(ctx, "carol")
	assert.ErrorIs(t, err, profile.ErrNotFound)
	assert.ErrorIs(t, f.svc.RevokeToken(ctx, "carol"), profile.ErrNotFound)
	for _, id := range []string{"", "a\x00b", strings.Repeat("u", 257), "\xff"} {
		_, err = f.svc.RegenerateToken(ctx, id)
		assert.ErrorIs(t, err, profile.ErrInvalidUserID)
		_, err = f.svc.RevealToken(ctx, id)
		assert.ErrorIs(t, err, profile.ErrInvalidUserID)
		assert.ErrorIs(t, f.svc.RevokeToken(ctx, id), profile.ErrInvalidUserID)
	}
}

func TestRegenerateToken_EventCarriesNoSecret(t *testing.T) {
	f := newTokFixture(t, nil)
	tok, err := f.svc.RegenerateToken(context.Background(), "alice")
	require.NoError(t, err)
	ev := f.Events()
	require.Len(t, ev, 1)
	assert.Equal(t, profile.EventTokenRegenerated, ev[0].Kind)
	assert.Equal(t, "alice", ev[0].UserID)
	assert.Equal(t, *f.now.Load(), ev[0].Time)
	assert.NotContains(t, fmt.Sprintf("%#v", ev[0]), tok.Plaintext()[3:20])
}

func TestPage_TokenViewDescribesTheToken(t *testing.T) {
	f := newTokFixture(t, withRing("k1"))
	ctx := context.Background()
	page, err := f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	require.NotNil(t, page.APIToken)
	assert.Contains(t, page.Tabs, profile.TabAPIToken)
	assert.False(t, page.APIToken.HasToken)

	_, err = f.svc.RegenerateToken(ctx, "alice")
	require.NoError(t, err)
	page, err = f.svc.Page(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, profile.TokenView{HasToken: true, Retrievable: true, CreatedAt: *f.now.Load()}, *page.APIToken)
}

// secretOutputs renders tok every way a program might print or log it.
func secretOutputs(t *testing.T, tok profile.Token) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%20v", "%-60s", "%.80s", "%T", "%p", "%t", "%08.3f"} {
		out[verb] = fmt.Sprintf(verb, tok)
		out[verb+" of pointer"] = fmt.Sprintf(verb, &tok)
	}
	out["Sprint"] = fmt.Sprint(tok)
	out["Sprintln"] = fmt.Sprintln(tok)
	out["String"] = tok.String()
	out["GoString"] = tok.GoString()
	type holder struct {
		Exported   profile.Token
		unexported profile.Token
		Ptr        *profile.Token
	}
	h := holder{Exported: tok, unexported: tok, Ptr: &tok}
	out["struct %v"] = fmt.Sprintf("%v", h)
	out["struct %+v"] = fmt.Sprintf("%+v", h)
	out["struct %#v"] = fmt.Sprintf("%#v", h)
	out["slice %v"] = fmt.Sprintf("%v", []profile.Token{tok})
	out["map %v"] = fmt.Sprintf("%v", map[string]profile.Token{"k": tok})
	out["error %v"] = fmt.Errorf("calling with %v: %w", tok, errStoreDown).Error()

	j, err := json.Marshal(tok)
	require.NoError(t, err)
	out["json"] = string(j)
	j, err = json.Marshal(h)
	require.NoError(t, err)
	out["json struct"] = string(j)
	txt, err := tok.MarshalText()
	require.NoError(t, err)
	out["text"] = string(txt)

	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(newHandler(&buf))
		log.Info("token", "tok", tok, "ptr", &tok, slog.Any("any", tok), slog.Group("g", "t", tok))
		log.Info("holder", "h", h)
		out[name] = buf.String()
	}
	return out
}

func TestToken_NeverPrintsItsPlaintext(t *testing.T) {
	f := newTokFixture(t, nil)
	tok, err := f.svc.RegenerateToken(context.Background(), "alice")
	require.NoError(t, err)
	plain := tok.Plaintext()
	body := plain[3 : 3+43]
	redacted := "pk_…" + plain[len(plain)-4:]
	assert.Equal(t, redacted, tok.String())

	for how, s := range secretOutputs(t, tok) {
		assert.NotContains(t, s, body[:8], how)
		assert.NotContains(t, s, body[len(body)-8:], how)
		assert.NotContains(t, s, fmt.Sprintf("%x", plain[3:12]), how+" (hex)")
		// %T and %p print the type or an address, and precision .3
		// truncates the redacted form itself.
		if !strings.HasPrefix(how, "%T") && !strings.HasPrefix(how, "%p") && !strings.HasPrefix(how, "%08.3f") {
			assert.Contains(t, s, "…", how+" shows the redacted form")
		}
	}
	assert.Equal(t, `"`+redacted+`"`, fmt.Sprintf("%q", tok))
	assert.Equal(t, `profile.Token("`+redacted+`")`, fmt.Sprintf("%#v", tok))
	assert.Equal(t, redacted, fmt.Sprintf("%x", tok))
	assert.Equal(t, strings.Repeat(" ", 20-len([]rune(redacted)))+redacted, fmt.Sprintf("%20v", tok))
}

func TestToken_ZeroValue(t *testing.T) {
	var tok profile.Token
	assert.True(t, tok.IsZero())
	assert.Empty(t, tok.Plaintext())
	assert.Empty(t, tok.String())
	assert.Empty(t, tok.Prefix())
	assert.Equal(t, "", fmt.Sprint(tok))
	j, err := json.Marshal(tok)
	require.NoError(t, err)
	assert.Equal(t, `""`, string(j))
}

func TestParseToken_RefusesMalformedInput(t *testing.T) {
	f := newTokFixture(t, func(c *profile.Config) { c.TokenPrefix = "acme_" })
	tok, err := f.svc.RegenerateToken(context.Background(), "alice")
	require.NoError(t, err)
	plain := tok.Plaintext()

	parsed, err := profile.ParseToken(plain)
	require.NoError(t, err)
	assert.Equal(t, "acme_", parsed.Prefix())
	assert.Equal(t, "acme_…"+plain[len(plain)-4:], parsed.String())

	for name, s := range map[string]string{
		"empty":            "",
		"body only":        plain[5:],
		"upper-case":       "ACME_" + plain[5:],
		"prefix too long":  strings.Repeat("a", 17) + plain[5:],
		"checksum changed": plain[:len(plain)-1] + string("0A"[boolIndex(plain[len(plain)-1] == '0')]),
	} {
		got, err := profile.ParseToken(s)
		assert.Same(t, profile.ErrInvalidToken, err, name)
		assert.True(t, got.IsZero(), name)
	}
}

func digestOf(token string) profile.TokenDigest {
	return profile.TokenDigest(sha256.Sum256([]byte(token)))
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}
