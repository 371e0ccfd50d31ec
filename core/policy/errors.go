package policy

import "errors"

// ErrUnknownAction is returned when a `do` node names an action nobody registered.
var ErrUnknownAction = errors.New("policy: unknown action")

// ErrUnknownExecutor is returned when a node names an executor nobody registered.
var ErrUnknownExecutor = errors.New("policy: unknown executor")
