package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// errDraining is what /healthz answers while the instance shuts down, so that a load balancer
// stops sending it work before it stops listening.
var errDraining = errors.New("shutting down")

// ready is the readiness check of /healthz: the instance is not draining and reaches its
// session store and durable store (Redis and PostgreSQL in a deployment of many instances).
func (g *gateway) ready() error {
	if g.draining.Load() {
		return errDraining
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, _, err := g.sessions.Get(ctx, "healthz"); err != nil && !errors.Is(err, session.ErrNotFound) {
		return fmt.Errorf("session store: %w", err)
	}
	if g.store != nil {
		if _, err := g.store.Cursor(ctx, "healthz"); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}
