package rest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// operation returns the endpoint configured for a BackOffice operation.
func (c *Client) operation(name string) (*endpoint, error) {
	e, ok := c.eps.operations[name]
	if !ok {
		return nil, fmt.Errorf("rest: operation %s is not configured: %w", name, plugin.ErrUnimplemented)
	}
	return e, nil
}

// run calls a configured operation with the template variables and decodes its answer.
func run[T any](ctx context.Context, c *Client, op string, vars map[string]any, decode func(*endpoint, any) (T, error)) (T, *endpoint, error) {
	var zero T
	e, err := c.operation(op)
	if err != nil {
		return zero, nil, err
	}
	v, err := c.call(ctx, e, vars)
	if err != nil {
		return zero, e, err
	}
	got, err := decode(e, v)
	return got, e, err
}

// GetCustomer returns the customer; plugin.ErrNotFound when the back office answers 404.
func (c *Client) GetCustomer(ctx context.Context, customerID string) (plugin.Customer, error) {
	cu, _, err := run(ctx, c, OpGetCustomer, map[string]any{"customer_id": customerID}, (*endpoint).customer)
	if err != nil {
		return plugin.Customer{}, err
	}
	if cu.ID == "" {
		cu.ID = customerID
	}
	return cu, nil
}

// SubmitChangeRequest submits the change as pending. Its templates see customer_id, kind,
// fields, case_id, idempotency_key and status ("pending"); what the answer leaves out is taken
// from the request.
func (c *Client) SubmitChangeRequest(ctx context.Context, req plugin.ChangeRequest) (plugin.ChangeRequest, error) {
	fields := req.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	got, e, err := run(ctx, c, OpSubmitChangeRequest, map[string]any{
		"customer_id": req.CustomerID, "kind": req.Kind, "fields": fields, "case_id": req.CaseID,
		"idempotency_key": req.IdempotencyKey, "status": "pending",
	}, (*endpoint).changeRequest)
	if err != nil {
		return plugin.ChangeRequest{}, err
	}
	if got.ID == "" {
		return plugin.ChangeRequest{}, fmt.Errorf("rest: %s: the answer has no id at %q", e.name, e.fields["id"])
	}
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&got.CustomerID, req.CustomerID)
	fill(&got.Kind, req.Kind)
	fill(&got.CaseID, req.CaseID)
	fill(&got.Status, "pending")
	got.IdempotencyKey = req.IdempotencyKey
	if got.Fields == nil {
		got.Fields = maps.Clone(req.Fields)
	}
	return got, nil
}

// GetChangeRequest returns the change request; plugin.ErrNotFound when the back office answers
// 404.
func (c *Client) GetChangeRequest(ctx context.Context, id string) (plugin.ChangeRequest, error) {
	got, _, err := run(ctx, c, OpGetChangeRequest, map[string]any{"id": id}, (*endpoint).changeRequest)
	if err != nil {
		return plugin.ChangeRequest{}, err
	}
	if got.ID == "" {
		got.ID = id
	}
	return got, nil
}

// ListChangeRequests returns the customer's change requests that are still pending. The
// endpoint should ask the back office for open ones; those that come back in another state are
// left out all the same.
func (c *Client) ListChangeRequests(ctx context.Context, customerID string) ([]plugin.ChangeRequest, error) {
	e, err := c.operation(OpListChangeRequests)
	if err != nil {
		return nil, err
	}
	v, err := c.call(ctx, e, map[string]any{"customer_id": customerID})
	if errors.Is(err, plugin.ErrNotFound) {
		return nil, nil // a customer with no requests, in back offices that say so with 404
	}
	if err != nil {
		return nil, err
	}
	items, ok := e.items.get(v)
	list, isList := items.([]any)
	if v != nil && (!ok || !isList) {
		return nil, fmt.Errorf("rest: %s: malformed response: no array at response.items %q", e.name, e.items)
	}
	out := make([]plugin.ChangeRequest, 0, len(list))
	for i, item := range list {
		cr, err := e.changeRequest(item)
		if err != nil {
			return nil, fmt.Errorf("%w (item %d)", err, i)
		}
		if cr.CustomerID == "" {
			cr.CustomerID = customerID
		}
		if cr.Status == "pending" {
			out = append(out, cr)
		}
	}
	return out, nil
}

// customer maps an answer to a Customer.
func (e *endpoint) customer(v any) (plugin.Customer, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return plugin.Customer{}, fmt.Errorf("rest: %s: malformed response: want an object, got %s", e.name, kind(v))
	}
	get := func(f string) string { return text(get1(e.fields[f], obj)) }
	cu := plugin.Customer{
		ID: get("id"), Name: get("name"), Email: get("email"), Phone: get("phone"),
		Address: plugin.Address{Street: get("address.street"), City: get("address.city"), Postcode: get("address.postcode"), Country: get("address.country")},
	}
	for f, p := range e.fields {
		name, isAttr := strings.CutPrefix(f, "attributes.")
		if !isAttr {
			continue
		}
		if x, ok := p.get(obj); ok && x != nil {
			if cu.Attributes == nil {
				cu.Attributes = map[string]string{}
			}
			cu.Attributes[name] = text(x)
		}
	}
	if p, ok := e.fields["attributes"]; ok {
		// "attributes" maps a whole object: each of its members is an attribute.
		if m, ok := get1(p, obj).(map[string]any); ok {
			if cu.Attributes == nil {
				cu.Attributes = map[string]string{}
			}
			for k, x := range m {
				cu.Attributes[k] = text(x)
			}
		}
	}
	return cu, nil
}

// changeRequest maps an answer to a ChangeRequest.
func (e *endpoint) changeRequest(v any) (plugin.ChangeRequest, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return plugin.ChangeRequest{}, fmt.Errorf("rest: %s: malformed response: want an object, got %s", e.name, kind(v))
	}
	get := func(f string) string { return text(get1(e.fields[f], obj)) }
	cr := plugin.ChangeRequest{ID: get("id"), CustomerID: get("customer_id"), Kind: get("kind"), CaseID: get("case_id")}
	cr.Status = get("status")
	if mapped, ok := e.status[cr.Status]; ok {
		cr.Status = mapped
	} else {
		// "PENDING" and "Pending" are pending too; anything else stays itself, lower-cased.
		cr.Status = strings.ToLower(cr.Status)
	}
	if m, ok := get1(e.fields["fields"], obj).(map[string]any); ok {
		cr.Fields = make(map[string]string, len(m))
		for k, x := range m {
			cr.Fields[k] = text(x)
		}
	}
	if s := get("created"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return plugin.ChangeRequest{}, fmt.Errorf("rest: %s: malformed response: created %q is not an RFC 3339 time", e.name, s)
		}
		cr.Created = t
	}
	return cr, nil
}

// get1 is the value at p, nil where there is none.
func get1(p path, v any) any {
	x, _ := p.get(v)
	return x
}

// kind names a decoded JSON value's type for error messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	default:
		return "a scalar"
	}
}
