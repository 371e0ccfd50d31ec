package session_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// Writers that may race read the version with the value and write it back with
// CompareAndSet, retrying on ErrConflict.
func ExampleStore_compareAndSet() {
	s := session.NewMemory()
	defer s.Close()
	ctx := context.Background()
	v, _ := s.CompareAndSet(ctx, "conv/1", []byte("turn 1"), 0, time.Hour) // 0: create only
	fmt.Println("created at version", v)
	if _, err := s.CompareAndSet(ctx, "conv/1", []byte("stale"), 0, time.Hour); errors.Is(err, session.ErrConflict) {
		fmt.Println("a second create conflicts")
	}
	value, version, _ := s.Get(ctx, "conv/1")
	v, _ = s.CompareAndSet(ctx, "conv/1", append(value, " + turn 2"...), version, time.Hour)
	value, _, _ = s.Get(ctx, "conv/1")
	fmt.Printf("%s at version %d\n", value, v)
	// Output:
	// created at version 1
	// a second create conflicts
	// turn 1 + turn 2 at version 2
}
