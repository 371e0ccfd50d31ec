package plugins

import (
	"context"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// method is one plugin method as a policy action: which service serves it, and how the
// policy's arguments make a call. The case id defaults to the run's case and the idempotency
// key is always the run's key for the node, so a retried node is recognized by the plugin.
type method struct {
	service string
	name    string
	run     func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error)
}

// caseID is the case an action is about: the case_id argument, else the run's case.
func caseID(call policy.ActionCall, a *args) string { return a.required("case_id", call.CaseID) }

var methods = []method{
	{plugin.ServiceCRM, "EnsureCase", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.CaseRequest{
			ExternalID: a.required("external_id", call.ConversationID), Subject: a.str("subject", ""),
			Description: a.str("description", ""), Channel: a.str("channel", call.Channel),
			ContactEmail: a.str("contact_email", ""), ContactPhone: a.str("contact_phone", ""),
			CustomerID: a.str("customer_id", ""), IdempotencyKey: call.IdempotencyKey,
		}
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(caseValue)(c.EnsureCase(ctx, req))
	}},
	{plugin.ServiceCRM, "UpdateCase", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.CaseUpdate{
			CaseID: caseID(call, a), Intent: a.str("intent", ""), Confidence: a.float("confidence"),
			Category: a.str("category", ""), Status: a.str("status", ""), Fields: a.strMap("fields"),
			IdempotencyKey: call.IdempotencyKey,
		}
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(caseValue)(c.UpdateCase(ctx, req))
	}},
	{plugin.ServiceCRM, "AddNote", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.Note{CaseID: caseID(call, a), Body: a.required("body", ""), Public: a.boolean("public"),
			IdempotencyKey: call.IdempotencyKey}
		if err := a.err(); err != nil {
			return nil, err
		}
		if err := c.AddNote(ctx, req); err != nil {
			return nil, err
		}
		return map[string]any{"case_id": req.CaseID}, nil
	}},
	{plugin.ServiceCRM, "AssignCase", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.Assignment{CaseID: caseID(call, a), Queue: a.str("queue", ""), Agent: a.str("agent", ""),
			IdempotencyKey: call.IdempotencyKey}
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(caseValue)(c.AssignCase(ctx, req))
	}},
	{plugin.ServiceCRM, "GetCase", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		id := caseID(call, a)
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(caseValue)(c.GetCase(ctx, id))
	}},
	{plugin.ServiceBackOffice, "GetCustomer", func(ctx context.Context, c client, _ policy.ActionCall, a *args) (any, error) {
		id := a.required("customer_id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(customerValue)(c.GetCustomer(ctx, id))
	}},
	{plugin.ServiceBackOffice, "SubmitChangeRequest", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.ChangeRequest{
			CustomerID: a.required("customer_id", ""), Kind: a.required("kind", ""), Fields: a.strMap("fields"),
			CaseID: a.str("case_id", call.CaseID), Status: "pending", IdempotencyKey: call.IdempotencyKey,
		}
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(changeValue)(c.SubmitChangeRequest(ctx, req))
	}},
	{plugin.ServiceBackOffice, "GetChangeRequest", func(ctx context.Context, c client, _ policy.ActionCall, a *args) (any, error) {
		id := a.required("id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(changeValue)(c.GetChangeRequest(ctx, id))
	}},
	{plugin.ServiceBackOffice, "ListChangeRequests", func(ctx context.Context, c client, _ policy.ActionCall, a *args) (any, error) {
		id := a.required("customer_id", "")
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(changeList)(c.ListChangeRequests(ctx, id))
	}},
	{plugin.ServiceMessaging, "SendSMS", func(ctx context.Context, c client, call policy.ActionCall, a *args) (any, error) {
		req := plugin.SMS{To: a.required("to", ""), Body: a.required("body", ""), IdempotencyKey: call.IdempotencyKey}
		if err := a.err(); err != nil {
			return nil, err
		}
		return shape(receiptValue)(c.SendSMS(ctx, req))
	}},
}

// shape returns a function that converts a successful answer with conv, so that
// shape(caseValue)(c.GetCase(ctx, id)) reads as "the case's answer, shaped".
func shape[T, V any](conv func(T) V) func(T, error) (any, error) {
	return func(v T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return conv(v), nil
	}
}

// Actions returns one policy action per method the plugins serve, named
// "<plugin name>.<Method>" (crm.AssignCase, backoffice.SubmitChangeRequest, sms.SendSMS). An
// action's output is the plugin's answer as a JSON-shaped map with snake_case keys.
func (h *Host) Actions() policy.Actions {
	out := policy.Actions{}
	for _, name := range h.order {
		in := h.byName[name]
		for _, m := range methods {
			if !in.info.Serves(m.service) {
				continue
			}
			full := name + "." + m.name
			out[full] = func(ctx context.Context, call policy.ActionCall) (policy.ActionResult, error) {
				o, err := m.run(ctx, client{in}, call, newArgs(full, call.Args))
				if err != nil {
					return policy.ActionResult{}, err
				}
				return policy.ActionResult{Output: o}, nil
			}
		}
	}
	return out
}
