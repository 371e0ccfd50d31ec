package queue

import (
	"errors"
	"fmt"
)

// ErrClosed is returned by Publish, Subscribe and Stats after Close.
var ErrClosed = errors.New("queue: closed")

// ErrFull is returned by Publish when the topic holds Options.MaxLen unacknowledged messages.
var ErrFull = errors.New("queue: topic full")

// ErrInvalid is returned for arguments no backend accepts, such as an empty topic.
var ErrInvalid = errors.New("queue: invalid argument")

// PanicError is the nack a panicking handler leaves.
type PanicError struct{ Value any }

func (e PanicError) Error() string { return "queue: handler panicked: " + fmt.Sprint(e.Value) }
