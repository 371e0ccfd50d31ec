package router

// Middleware wraps a Handler with behaviour of its own, such as logging or a deadline.
type Middleware func(Handler) Handler

// Chain wraps h in the middleware, the first outermost.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
