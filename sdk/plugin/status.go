package plugin

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The sentinel errors of this package cross the process boundary as gRPC status codes, so that
// errors.Is(err, ErrNotFound) holds on the host for an ErrNotFound returned by the plugin.
var sentinelCodes = []struct {
	err  error
	code codes.Code
}{
	{ErrNotFound, codes.NotFound},
	{ErrUnimplemented, codes.Unimplemented},
	{ErrInvalidArgument, codes.InvalidArgument},
	{ErrUnavailable, codes.Unavailable},
	{context.DeadlineExceeded, codes.DeadlineExceeded},
	{context.Canceled, codes.Canceled},
}

// toStatus turns an implementation's error into a gRPC status error carrying its message.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range sentinelCodes {
		if errors.Is(err, s.err) {
			return status.Error(s.code, err.Error())
		}
	}
	return status.Error(codes.Unknown, err.Error())
}

// remoteError is an error returned by the plugin: its message as the plugin wrote it, and the
// sentinel its status code stands for.
type remoteError struct {
	msg      string
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// fromStatus turns a gRPC status error back into an error that wraps the matching sentinel.
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	for _, s := range sentinelCodes {
		if st.Code() == s.code {
			if st.Code() == codes.Unavailable {
				return &remoteError{msg: ErrUnavailable.Error() + ": " + st.Message(), sentinel: s.err}
			}
			return &remoteError{msg: st.Message(), sentinel: s.err}
		}
	}
	return errors.New(st.Message())
}
