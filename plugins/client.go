package plugins

import (
	"context"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// client implements the plugin interfaces for one supervised plugin: every method goes to the
// plugin's current process through instance.call, so it keeps working across restarts.
type client struct{ in *instance }

// do runs one call that returns a value.
func do[T any](ctx context.Context, in *instance, method string, f func(context.Context, *plugin.Client) (T, error)) (T, error) {
	var out T
	err := in.call(ctx, method, func(ctx context.Context, c *plugin.Client) error {
		var err error
		out, err = f(ctx, c)
		return err
	})
	return out, err
}

func (c client) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	return do(ctx, c.in, "EnsureCase", func(ctx context.Context, p *plugin.Client) (plugin.Case, error) { return p.EnsureCase(ctx, req) })
}

func (c client) UpdateCase(ctx context.Context, req plugin.CaseUpdate) (plugin.Case, error) {
	return do(ctx, c.in, "UpdateCase", func(ctx context.Context, p *plugin.Client) (plugin.Case, error) { return p.UpdateCase(ctx, req) })
}

func (c client) AddNote(ctx context.Context, req plugin.Note) error {
	return c.in.call(ctx, "AddNote", func(ctx context.Context, p *plugin.Client) error { return p.AddNote(ctx, req) })
}

func (c client) AssignCase(ctx context.Context, req plugin.Assignment) (plugin.Case, error) {
	return do(ctx, c.in, "AssignCase", func(ctx context.Context, p *plugin.Client) (plugin.Case, error) { return p.AssignCase(ctx, req) })
}

func (c client) GetCase(ctx context.Context, caseID string) (plugin.Case, error) {
	return do(ctx, c.in, "GetCase", func(ctx context.Context, p *plugin.Client) (plugin.Case, error) { return p.GetCase(ctx, caseID) })
}

func (c client) GetCustomer(ctx context.Context, customerID string) (plugin.Customer, error) {
	return do(ctx, c.in, "GetCustomer", func(ctx context.Context, p *plugin.Client) (plugin.Customer, error) {
		return p.GetCustomer(ctx, customerID)
	})
}

func (c client) SubmitChangeRequest(ctx context.Context, req plugin.ChangeRequest) (plugin.ChangeRequest, error) {
	return do(ctx, c.in, "SubmitChangeRequest", func(ctx context.Context, p *plugin.Client) (plugin.ChangeRequest, error) {
		return p.SubmitChangeRequest(ctx, req)
	})
}

func (c client) GetChangeRequest(ctx context.Context, id string) (plugin.ChangeRequest, error) {
	return do(ctx, c.in, "GetChangeRequest", func(ctx context.Context, p *plugin.Client) (plugin.ChangeRequest, error) {
		return p.GetChangeRequest(ctx, id)
	})
}

func (c client) ListChangeRequests(ctx context.Context, customerID string) ([]plugin.ChangeRequest, error) {
	return do(ctx, c.in, "ListChangeRequests", func(ctx context.Context, p *plugin.Client) ([]plugin.ChangeRequest, error) {
		return p.ListChangeRequests(ctx, customerID)
	})
}

func (c client) SendSMS(ctx context.Context, req plugin.SMS) (plugin.SMSReceipt, error) {
	return do(ctx, c.in, "SendSMS", func(ctx context.Context, p *plugin.Client) (plugin.SMSReceipt, error) { return p.SendSMS(ctx, req) })
}

func (c client) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	return do(ctx, c.in, "Fetch "+call, func(ctx context.Context, p *plugin.Client) (any, error) { return p.Fetch(ctx, call, args) })
}

var (
	_ plugin.CRM        = client{}
	_ plugin.BackOffice = client{}
	_ plugin.Messaging  = client{}
	_ plugin.Hydrator   = client{}
)
