package bench

import (
	"context"
	"crypto/rand"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
)

// BenchmarkHashing compares SetPassword and VerifyPassword at the default
// argon2id parameters (19456 KiB, 2 passes, 1 thread; memory store, which
// includes the rule check and the store writes) with one raw
// argon2.IDKey call of the same parameters, alternating one call of each.
// "bcrypt-cost10" puts bcrypt at cost 10 beside the same raw argon2id call
// in a benchmark of its own: alternating a third operation between the two
// would give one side the other's memory state (a 19 MiB buffer just
// freed, or pages returned to the OS during bcrypt), not its own cost.
func BenchmarkHashing(b *testing.B) {
	ctx := context.Background()
	st := memory.New()
	svc, err := profile.New(profile.Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.CreateUser(ctx, "alice", benchPerson); err != nil {
		b.Fatal(err)
	}
	passwords := [2]string{"Tr0ub4dor&3x", "Plum-Kettle-Harbor-9"}
	if err := svc.SetPassword(ctx, "alice", passwords[0]); err != nil {
		b.Fatal(err)
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	var key []byte
	raw := floorOf("argon2", func(int) {
		key = argon2.IDKey([]byte(passwords[0]), salt, profile.DefaultHashTime, profile.DefaultHashMemory, profile.DefaultHashThreads, 32)
	})
	b.Run("SetPassword", func(b *testing.B) {
		compare(b, func(i int) {
			if err := svc.SetPassword(ctx, "alice", passwords[i%2]); err != nil {
				b.Fatal(err)
			}
		}, raw)
		_ = svc.SetPassword(ctx, "alice", passwords[0])
	})
	b.Run("VerifyPassword", func(b *testing.B) {
		compare(b, func(int) {
			if err := svc.VerifyPassword(ctx, "alice", passwords[0]); err != nil {
				b.Fatal(err)
			}
		}, raw)
	})
	b.Run("bcrypt-cost10", func(b *testing.B) {
		compare(b, func(int) {
			key, _ = bcrypt.GenerateFromPassword([]byte(passwords[0]), 10)
		}, raw)
	})
	_ = key
}
