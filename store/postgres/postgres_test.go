package postgres

import (
	"testing"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/storetest"
)

func TestConformance(t *testing.T) {
	pool := newPool(t)
	storetest.Run(t, func(t *testing.T) profile.Store { return newStore(t, pool) })
}
