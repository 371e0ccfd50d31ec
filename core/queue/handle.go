package queue

import "context"

// Run calls h and turns a panic into a PanicError, so that one bad message cannot take the
// process down; backends call handlers through it.
func Run(ctx context.Context, h Handler, m Message) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = PanicError{Value: v}
		}
	}()
	return h(ctx, m)
}
