package plugin

import (
	"context"
	"encoding/json"
	"fmt"

	pb "github.com/frontdeskhq/frontdesk/sdk/proto/pluginv1"
	"google.golang.org/grpc"
)

// Service names as Info reports them.
const (
	ServiceCRM        = "CRM"
	ServiceBackOffice = "BackOffice"
	ServiceMessaging  = "Messaging"
	ServiceHydrator   = "Hydrator"
)

// names returns the names of the services s offers, in a fixed order.
func (s Services) names() []string {
	var out []string
	if s.CRM != nil {
		out = append(out, ServiceCRM)
	}
	if s.BackOffice != nil {
		out = append(out, ServiceBackOffice)
	}
	if s.Messaging != nil {
		out = append(out, ServiceMessaging)
	}
	if s.Hydrator != nil {
		out = append(out, ServiceHydrator)
	}
	return out
}

// register adds the offered services to a gRPC server. Services not offered stay unregistered,
// so calling them gives Unimplemented, which the client maps to ErrUnimplemented.
func (s Services) register(srv *grpc.Server) {
	pb.RegisterPluginServer(srv, infoServer{names: s.names()})
	if s.CRM != nil {
		pb.RegisterCRMServer(srv, crmServer{impl: s.CRM})
	}
	if s.BackOffice != nil {
		pb.RegisterBackOfficeServer(srv, backOfficeServer{impl: s.BackOffice})
	}
	if s.Messaging != nil {
		pb.RegisterMessagingServer(srv, messagingServer{impl: s.Messaging})
	}
	if s.Hydrator != nil {
		pb.RegisterHydratorServer(srv, hydratorServer{impl: s.Hydrator})
	}
}

type infoServer struct {
	pb.UnimplementedPluginServer
	names []string
}

func (s infoServer) Info(context.Context, *pb.InfoRequest) (*pb.InfoResponse, error) {
	return &pb.InfoResponse{ProtocolMajor: ProtocolMajor, ProtocolMinor: ProtocolMinor, Services: s.names}, nil
}

type crmServer struct {
	pb.UnimplementedCRMServer
	impl CRM
}

func (s crmServer) EnsureCase(ctx context.Context, r *pb.EnsureCaseRequest) (*pb.Case, error) {
	c, err := s.impl.EnsureCase(ctx, caseRequestFromPB(r))
	if err != nil {
		return nil, toStatus(err)
	}
	return caseToPB(c), nil
}

func (s crmServer) UpdateCase(ctx context.Context, r *pb.UpdateCaseRequest) (*pb.Case, error) {
	c, err := s.impl.UpdateCase(ctx, caseUpdateFromPB(r))
	if err != nil {
		return nil, toStatus(err)
	}
	return caseToPB(c), nil
}

func (s crmServer) AddNote(ctx context.Context, r *pb.AddNoteRequest) (*pb.AddNoteResponse, error) {
	if err := s.impl.AddNote(ctx, noteFromPB(r)); err != nil {
		return nil, toStatus(err)
	}
	return &pb.AddNoteResponse{}, nil
}

func (s crmServer) AssignCase(ctx context.Context, r *pb.AssignCaseRequest) (*pb.Case, error) {
	c, err := s.impl.AssignCase(ctx, assignmentFromPB(r))
	if err != nil {
		return nil, toStatus(err)
	}
	return caseToPB(c), nil
}

func (s crmServer) GetCase(ctx context.Context, r *pb.GetCaseRequest) (*pb.Case, error) {
	c, err := s.impl.GetCase(ctx, r.GetCaseId())
	if err != nil {
		return nil, toStatus(err)
	}
	return caseToPB(c), nil
}

type backOfficeServer struct {
	pb.UnimplementedBackOfficeServer
	impl BackOffice
}

func (s backOfficeServer) GetCustomer(ctx context.Context, r *pb.GetCustomerRequest) (*pb.Customer, error) {
	c, err := s.impl.GetCustomer(ctx, r.GetCustomerId())
	if err != nil {
		return nil, toStatus(err)
	}
	return customerToPB(c), nil
}

func (s backOfficeServer) SubmitChangeRequest(ctx context.Context, r *pb.ChangeRequest) (*pb.ChangeRequest, error) {
	cr, err := s.impl.SubmitChangeRequest(ctx, changeRequestFromPB(r))
	if err != nil {
		return nil, toStatus(err)
	}
	return changeRequestToPB(cr), nil
}

func (s backOfficeServer) GetChangeRequest(ctx context.Context, r *pb.GetChangeRequestRequest) (*pb.ChangeRequest, error) {
	cr, err := s.impl.GetChangeRequest(ctx, r.GetId())
	if err != nil {
		return nil, toStatus(err)
	}
	return changeRequestToPB(cr), nil
}

func (s backOfficeServer) ListChangeRequests(ctx context.Context, r *pb.ListChangeRequestsRequest) (*pb.ListChangeRequestsResponse, error) {
	list, err := s.impl.ListChangeRequests(ctx, r.GetCustomerId())
	if err != nil {
		return nil, toStatus(err)
	}
	out := &pb.ListChangeRequestsResponse{Requests: make([]*pb.ChangeRequest, len(list))}
	for i, cr := range list {
		out.Requests[i] = changeRequestToPB(cr)
	}
	return out, nil
}

type messagingServer struct {
	pb.UnimplementedMessagingServer
	impl Messaging
}

func (s messagingServer) SendSMS(ctx context.Context, r *pb.SendSMSRequest) (*pb.SMSReceipt, error) {
	rc, err := s.impl.SendSMS(ctx, SMS{To: r.GetTo(), Body: r.GetBody(), IdempotencyKey: r.GetIdempotencyKey()})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.SMSReceipt{Id: rc.ID, Status: rc.Status}, nil
}

type hydratorServer struct {
	pb.UnimplementedHydratorServer
	impl Hydrator
}

func (s hydratorServer) Fetch(ctx context.Context, r *pb.FetchRequest) (*pb.FetchResponse, error) {
	var args map[string]any
	if len(r.GetArgsJson()) > 0 {
		if err := json.Unmarshal(r.GetArgsJson(), &args); err != nil {
			return nil, toStatus(fmt.Errorf("%w: args of %q are not a JSON object: %v", ErrInvalidArgument, r.GetCall(), err))
		}
	}
	result, err := s.impl.Fetch(ctx, r.GetCall(), args)
	if err != nil {
		return nil, toStatus(err)
	}
	data, err := json.Marshal(result)
	if err != nil {
		return nil, toStatus(fmt.Errorf("result of %q is not JSON-shaped: %w", r.GetCall(), err))
	}
	return &pb.FetchResponse{ResultJson: data}, nil
}
