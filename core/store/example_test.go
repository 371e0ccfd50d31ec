package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// A version goes Draft -> Shadow -> Final -> Live; from Final on it cannot change.
func ExampleOpenSQLite() {
	dir, _ := os.MkdirTemp("", "frontdesk-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.OpenSQLite(ctx, filepath.Join(dir, "frontdesk.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	v, _ := s.CreateVersion(ctx, "refund", "policy: refund\nstart: check\n", "ana")
	for _, to := range []store.State{store.StateShadow, store.StateFinal, store.StateLive} {
		v, _ = s.SetState(ctx, "refund", v.Version, to)
	}
	fmt.Println("refund version", v.Version, "is", v.State)
	if _, err := s.UpdateVersion(ctx, "refund", v.Version, "changed"); errors.Is(err, store.ErrImmutable) {
		fmt.Println("editing it:", err)
	}
	// Output:
	// refund version 1 is live
	// editing it: store: policy version is immutable: refund version 1 is live
}
