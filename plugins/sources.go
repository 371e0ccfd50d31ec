package plugins

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Sources returns one hydration source per plugin, by the plugin's name. A source answers
// the typed calls of the services the plugin serves (GetCustomer, ListChangeRequests,
// GetChangeRequest, GetCase) and passes any other call to the plugin's Hydrator. Results are
// JSON-shaped with snake_case keys; a lookup of something that does not exist gives nil, so a
// policy tests `customer == nil`.
func (h *Host) Sources() hydrate.Sources {
	out := make(hydrate.Sources, len(h.order))
	for _, name := range h.order {
		out[name] = source{client{h.byName[name]}}
	}
	return out
}

// source is one plugin as a hydrate.Source.
type source struct{ c client }

// lookups are the typed calls a source answers, by the service that serves them.
var lookups = map[string]struct {
	service string
	fetch   func(ctx context.Context, c client, a *args) (any, error)
}{
	"GetCustomer": {plugin.ServiceBackOffice, func(ctx context.Context, c client, a *args) (any, error) {
		id := a.required("customer_id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return orNil(shape(customerValue)(c.GetCustomer(ctx, id)))
	}},
	"ListChangeRequests": {plugin.ServiceBackOffice, func(ctx context.Context, c client, a *args) (any, error) {
		id := a.required("customer_id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(changeList)(c.ListChangeRequests(ctx, id))
	}},
	"GetChangeRequest": {plugin.ServiceBackOffice, func(ctx context.Context, c client, a *args) (any, error) {
		id := a.required("id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return orNil(shape(changeValue)(c.GetChangeRequest(ctx, id)))
	}},
	"GetCase": {plugin.ServiceCRM, func(ctx context.Context, c client, a *args) (any, error) {
		id := a.required("case_id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return orNil(shape(caseValue)(c.GetCase(ctx, id)))
	}},
}

// orNil turns "not found" into a nil value.
func orNil(v any, err error) (any, error) {
	if errors.Is(err, plugin.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// Fetch implements hydrate.Source.
func (s source) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	info := s.c.in.info
	if l, ok := lookups[call]; ok && info.Serves(l.service) {
		return l.fetch(ctx, s.c, newArgs(s.c.in.cfg.Name+"."+call, args))
	}
	if !info.Serves(plugin.ServiceHydrator) {
		return nil, fmt.Errorf("plugin %q has no call %q: it serves %v and no Hydrator", s.c.in.cfg.Name, call, info.Services)
	}
	return orNil(s.c.Fetch(ctx, call, args))
}

var _ hydrate.Source = source{}
