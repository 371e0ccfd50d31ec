package store

import "errors"

// ErrNotFound is returned when the record asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrImmutable is returned when a change would alter a Final or Live policy version.
var ErrImmutable = errors.New("store: policy version is immutable")

// ErrTransition is returned when a policy version cannot move from its state to the one asked.
var ErrTransition = errors.New("store: state transition not allowed")

// ErrExists is returned when a record with the same identity already exists.
var ErrExists = errors.New("store: already exists")

// ErrInvalid is returned for a record the store cannot keep (an empty name, an unknown state).
var ErrInvalid = errors.New("store: invalid record")

// ErrClosed is returned by every method after Close.
var ErrClosed = errors.New("store: closed")

// ErrFenced is returned by a fenced write whose token is older than one already seen.
var ErrFenced = errors.New("store: write fenced off by a newer lease holder")
