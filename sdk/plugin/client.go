package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	pb "github.com/frontdeskhq/frontdesk/sdk/proto/pluginv1"
	"google.golang.org/grpc"
)

// Client is the host's side of one plugin process: it implements CRM, BackOffice, Messaging and
// Hydrator by calling the plugin over gRPC. Calls to a service the plugin does not serve fail
// with ErrUnimplemented; ask Info first to know which it serves. A Client is safe for
// concurrent use. The context's deadline travels with every call to the plugin.
type Client struct {
	info       pb.PluginClient
	crm        pb.CRMClient
	backOffice pb.BackOfficeClient
	messaging  pb.MessagingClient
	hydrator   pb.HydratorClient
	closeFn    func() error
}

func newClient(conn grpc.ClientConnInterface, closeFn func() error) *Client {
	return &Client{
		info:       pb.NewPluginClient(conn),
		crm:        pb.NewCRMClient(conn),
		backOffice: pb.NewBackOfficeClient(conn),
		messaging:  pb.NewMessagingClient(conn),
		hydrator:   pb.NewHydratorClient(conn),
		closeFn:    closeFn,
	}
}

// Close releases what the client owns. For clients made by go-plugin it does nothing: the
// go-plugin client owns the connection and the process.
func (c *Client) Close() error {
	if c.closeFn == nil {
		return nil
	}
	return c.closeFn()
}

// Info describes a plugin process: the protocol version it speaks and the services it serves.
type Info struct {
	ProtocolMajor int
	ProtocolMinor int
	// Services are names such as ServiceCRM, in a fixed order.
	Services []string
}

// Serves tells whether the plugin serves the named service (ServiceCRM, ...).
func (i Info) Serves(service string) bool { return slices.Contains(i.Services, service) }

// Info asks the plugin what it is.
func (c *Client) Info(ctx context.Context) (Info, error) {
	r, err := c.info.Info(ctx, &pb.InfoRequest{})
	if err != nil {
		return Info{}, fromStatus(err)
	}
	return Info{ProtocolMajor: int(r.GetProtocolMajor()), ProtocolMinor: int(r.GetProtocolMinor()), Services: r.GetServices()}, nil
}

// caseResult converts a CRM answer, keeping the error's sentinel.
func caseResult(r *pb.Case, err error) (Case, error) {
	if err != nil {
		return Case{}, fromStatus(err)
	}
	return caseFromPB(r), nil
}

// EnsureCase implements CRM.
func (c *Client) EnsureCase(ctx context.Context, req CaseRequest) (Case, error) {
	return caseResult(c.crm.EnsureCase(ctx, caseRequestToPB(req)))
}

// UpdateCase implements CRM.
func (c *Client) UpdateCase(ctx context.Context, req CaseUpdate) (Case, error) {
	return caseResult(c.crm.UpdateCase(ctx, caseUpdateToPB(req)))
}

// AddNote implements CRM.
func (c *Client) AddNote(ctx context.Context, req Note) error {
	_, err := c.crm.AddNote(ctx, noteToPB(req))
	return fromStatus(err)
}

// AssignCase implements CRM.
func (c *Client) AssignCase(ctx context.Context, req Assignment) (Case, error) {
	return caseResult(c.crm.AssignCase(ctx, assignmentToPB(req)))
}

// GetCase implements CRM.
func (c *Client) GetCase(ctx context.Context, caseID string) (Case, error) {
	return caseResult(c.crm.GetCase(ctx, &pb.GetCaseRequest{CaseId: caseID}))
}

// GetCustomer implements BackOffice.
func (c *Client) GetCustomer(ctx context.Context, customerID string) (Customer, error) {
	r, err := c.backOffice.GetCustomer(ctx, &pb.GetCustomerRequest{CustomerId: customerID})
	if err != nil {
		return Customer{}, fromStatus(err)
	}
	return customerFromPB(r), nil
}

// changeRequestResult converts a BackOffice answer, keeping the error's sentinel.
func changeRequestResult(r *pb.ChangeRequest, err error) (ChangeRequest, error) {
	if err != nil {
		return ChangeRequest{}, fromStatus(err)
	}
	return changeRequestFromPB(r), nil
}

// SubmitChangeRequest implements BackOffice.
func (c *Client) SubmitChangeRequest(ctx context.Context, req ChangeRequest) (ChangeRequest, error) {
	return changeRequestResult(c.backOffice.SubmitChangeRequest(ctx, changeRequestToPB(req)))
}

// GetChangeRequest implements BackOffice.
func (c *Client) GetChangeRequest(ctx context.Context, id string) (ChangeRequest, error) {
	return changeRequestResult(c.backOffice.GetChangeRequest(ctx, &pb.GetChangeRequestRequest{Id: id}))
}

// ListChangeRequests implements BackOffice.
func (c *Client) ListChangeRequests(ctx context.Context, customerID string) ([]ChangeRequest, error) {
	r, err := c.backOffice.ListChangeRequests(ctx, &pb.ListChangeRequestsRequest{CustomerId: customerID})
	if err != nil {
		return nil, fromStatus(err)
	}
	out := make([]ChangeRequest, len(r.GetRequests()))
	for i, cr := range r.GetRequests() {
		out[i] = changeRequestFromPB(cr)
	}
	return out, nil
}

// SendSMS implements Messaging.
func (c *Client) SendSMS(ctx context.Context, req SMS) (SMSReceipt, error) {
	r, err := c.messaging.SendSMS(ctx, &pb.SendSMSRequest{To: req.To, Body: req.Body, IdempotencyKey: req.IdempotencyKey})
	if err != nil {
		return SMSReceipt{}, fromStatus(err)
	}
	return SMSReceipt{ID: r.GetId(), Status: r.GetStatus()}, nil
}

// Fetch implements Hydrator. The result is decoded from JSON: objects as map[string]any,
// arrays as []any, numbers as float64.
func (c *Client) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	data, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("%w: args of %q are not JSON-shaped: %v", ErrInvalidArgument, call, err)
	}
	r, err := c.hydrator.Fetch(ctx, &pb.FetchRequest{Call: call, ArgsJson: data})
	if err != nil {
		return nil, fromStatus(err)
	}
	var out any
	if err := json.Unmarshal(r.GetResultJson(), &out); err != nil {
		return nil, fmt.Errorf("plugin answered %q with malformed JSON: %w", call, err)
	}
	return out, nil
}

var (
	_ CRM        = (*Client)(nil)
	_ BackOffice = (*Client)(nil)
	_ Messaging  = (*Client)(nil)
	_ Hydrator   = (*Client)(nil)
)
