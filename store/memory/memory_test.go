package memory_test

import (
	"testing"

	"github.com/profilekit/profile"
	"github.com/profilekit/profile/store/memory"
	"github.com/profilekit/profile/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) profile.Store { return memory.New() })
}
