package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// ErrBadBody wraps what is wrong with a request body.
var ErrBadBody = errors.New("bad request body")

// Decode reads one message from a JSON body, strictly: unknown fields, trailing data and wrong
// types are errors that say where. Invalid UTF-8 inside strings becomes U+FFFD.
func Decode(body []byte) (message.Message, error) {
	var m message.Message
	err := DecodeStrict(body, &m, "a JSON message")
	return m, err
}

// DecodeStrict reads one JSON value into v as Decode does, for channels with request types of
// their own; want says what the body should be, for the error of an empty one.
func DecodeStrict(body []byte, v any, want string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%w: empty body, want %s", ErrBadBody, want)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return fmt.Errorf("%w: malformed JSON at byte %d: %v", ErrBadBody, syn.Offset, err)
		case errors.As(err, &typ):
			return fmt.Errorf("%w: field %q must be %s, not %s", ErrBadBody, typ.Field, typ.Type, typ.Value)
		}
		return fmt.Errorf("%w: %v", ErrBadBody, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: unexpected data after the JSON value", ErrBadBody)
	}
	return nil
}
