// Package plugins is frontdesk's host for plugin processes (hashicorp/go-plugin over gRPC): it
// starts the configured plugins with AutoMTLS and a versioned handshake, forwards their logs,
// checks their health, restarts them with backoff after a crash, bounds every call with a
// timeout and a concurrency limit, and stops them all on Close. The gateway reaches plugins
// through Go clients (CRM, BackOffice, ...), policy actions (Actions) and hydration sources
// (Sources).
package plugins

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Host runs the configured plugins. Its methods are safe for concurrent use.
type Host struct {
	byName map[string]*instance
	order  []string
}

// Start starts every configured plugin, one after the other, and returns when all are up, or
// stops those started and returns what went wrong. Each process has its StartTimeout to answer
// the handshake; ctx is checked between plugins and bounds the first Info call. The plugins
// then run until Close, whatever becomes of ctx. A nil log discards the plugins' logs.
func Start(ctx context.Context, cfgs []Config, log *slog.Logger) (*Host, error) {
	cfgs, err := validate(cfgs)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Host{byName: make(map[string]*instance, len(cfgs))}
	for _, cfg := range cfgs {
		if err := ctx.Err(); err != nil {
			h.Close()
			return nil, err
		}
		in := &instance{
			cfg:     cfg,
			log:     log.With("plugin", cfg.Name),
			sem:     make(chan struct{}, cfg.MaxConcurrent),
			ready:   make(chan struct{}),
			stop:    make(chan struct{}),
			kick:    make(chan struct{}, 1),
			stopped: make(chan struct{}),
		}
		p, err := in.launch(ctx)
		if err != nil {
			h.Close()
			return nil, err
		}
		in.up(p)
		go in.supervise()
		h.byName[cfg.Name] = in
		h.order = append(h.order, cfg.Name)
	}
	return h, nil
}

// Close stops every plugin process and waits until they are gone. Calls in flight fail; later
// calls give ErrClosed.
func (h *Host) Close() error {
	var wg sync.WaitGroup
	for _, in := range h.byName {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.close()
		}()
	}
	wg.Wait()
	return nil
}

// Names returns the plugins' names in the configured order.
func (h *Host) Names() []string { return append([]string(nil), h.order...) }

// Status is how one plugin is doing, for health endpoints and logs.
type Status struct {
	Name string
	// Up is false while the process is being restarted.
	Up bool
	// PID is the current process's id, 0 while down.
	PID int
	// Restarts counts the processes started after the first.
	Restarts int
	// Services are those the plugin serves.
	Services []string
}

// Status returns every plugin's status, in the configured order.
func (h *Host) Status() []Status {
	out := make([]Status, 0, len(h.order))
	for _, name := range h.order {
		in := h.byName[name]
		in.mu.Lock()
		st := Status{Name: name, Up: in.cur != nil, Restarts: in.restarts, Services: in.info.Services}
		if in.cur != nil {
			st.PID = in.cur.pid
		}
		in.mu.Unlock()
		out = append(out, st)
	}
	return out
}

// Info returns what the named plugin serves, as it said at its first start.
func (h *Host) Info(name string) (plugin.Info, bool) {
	in, ok := h.byName[name]
	if !ok {
		return plugin.Info{}, false
	}
	return in.info, true
}

// serving returns the named plugin if it serves the service.
func (h *Host) serving(name, service string) (*instance, bool) {
	in, ok := h.byName[name]
	if !ok || !in.info.Serves(service) {
		return nil, false
	}
	return in, true
}

// CRM returns a client of the named plugin's CRM that survives the plugin's restarts; false
// when there is no such plugin or it serves no CRM.
func (h *Host) CRM(name string) (plugin.CRM, bool) {
	if in, ok := h.serving(name, plugin.ServiceCRM); ok {
		return client{in}, true
	}
	return nil, false
}

// BackOffice returns a client of the named plugin's BackOffice, as CRM does.
func (h *Host) BackOffice(name string) (plugin.BackOffice, bool) {
	if in, ok := h.serving(name, plugin.ServiceBackOffice); ok {
		return client{in}, true
	}
	return nil, false
}

// Messaging returns a client of the named plugin's Messaging, as CRM does.
func (h *Host) Messaging(name string) (plugin.Messaging, bool) {
	if in, ok := h.serving(name, plugin.ServiceMessaging); ok {
		return client{in}, true
	}
	return nil, false
}

// Hydrator returns a client of the named plugin's Hydrator, as CRM does.
func (h *Host) Hydrator(name string) (plugin.Hydrator, bool) {
	if in, ok := h.serving(name, plugin.ServiceHydrator); ok {
		return client{in}, true
	}
	return nil, false
}

// call runs f on the current process of the plugin within the plugin's timeout and concurrency
// limit. When the process turns out to be gone, it is taken out of service at once, so that the
// next call waits for the restart instead of failing too.
func (in *instance) call(ctx context.Context, method string, f func(context.Context, *plugin.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, in.cfg.Timeout)
	defer cancel()
	select {
	case in.sem <- struct{}{}:
		defer func() { <-in.sem }()
	case <-ctx.Done():
		return fmt.Errorf("plugin %q %s: waiting for one of %d call slots: %w", in.cfg.Name, method, in.cfg.MaxConcurrent, ctx.Err())
	}
	p, err := in.current(ctx)
	if err != nil {
		return fmt.Errorf("plugin %q %s: %w", in.cfg.Name, method, err)
	}
	err = f(ctx, p.rpc)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, plugin.ErrUnavailable) && !in.healthy(p):
		// The process is gone (a plugin may also answer ErrUnavailable for a system behind it
		// that is down, and is then left alone).
		in.down(p)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("plugin %q %s: no answer within %s: %w", in.cfg.Name, method, in.cfg.Timeout, err)
	}
	return fmt.Errorf("plugin %q %s: %w", in.cfg.Name, method, err)
}
