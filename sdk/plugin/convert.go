package plugin

import (
	"time"

	pb "github.com/frontdeskhq/frontdesk/sdk/proto/pluginv1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The conversions between the Go types of this package and the wire messages live here, so
// that neither the server nor the client shims ever expose a protobuf type.

func timeToPB(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func timeFromPB(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func caseRequestToPB(r CaseRequest) *pb.EnsureCaseRequest {
	return &pb.EnsureCaseRequest{
		ExternalId: r.ExternalID, Subject: r.Subject, Description: r.Description,
		Channel: r.Channel, ContactEmail: r.ContactEmail, ContactPhone: r.ContactPhone,
		CustomerId: r.CustomerID, IdempotencyKey: r.IdempotencyKey,
	}
}

func caseRequestFromPB(r *pb.EnsureCaseRequest) CaseRequest {
	return CaseRequest{
		ExternalID: r.GetExternalId(), Subject: r.GetSubject(), Description: r.GetDescription(),
		Channel: r.GetChannel(), ContactEmail: r.GetContactEmail(), ContactPhone: r.GetContactPhone(),
		CustomerID: r.GetCustomerId(), IdempotencyKey: r.GetIdempotencyKey(),
	}
}

func caseToPB(c Case) *pb.Case {
	return &pb.Case{
		Id: c.ID, ExternalId: c.ExternalID, Subject: c.Subject, Status: c.Status,
		Intent: c.Intent, Confidence: c.Confidence, Category: c.Category, Queue: c.Queue,
		Agent: c.Agent, CustomerId: c.CustomerID, Url: c.URL,
		Created: timeToPB(c.Created), Updated: timeToPB(c.Updated),
	}
}

func caseFromPB(c *pb.Case) Case {
	return Case{
		ID: c.GetId(), ExternalID: c.GetExternalId(), Subject: c.GetSubject(), Status: c.GetStatus(),
		Intent: c.GetIntent(), Confidence: c.GetConfidence(), Category: c.GetCategory(),
		Queue: c.GetQueue(), Agent: c.GetAgent(), CustomerID: c.GetCustomerId(), URL: c.GetUrl(),
		Created: timeFromPB(c.GetCreated()), Updated: timeFromPB(c.GetUpdated()),
	}
}

func caseUpdateToPB(u CaseUpdate) *pb.UpdateCaseRequest {
	return &pb.UpdateCaseRequest{
		CaseId: u.CaseID, Intent: u.Intent, Confidence: u.Confidence, Category: u.Category,
		Status: u.Status, Fields: u.Fields, IdempotencyKey: u.IdempotencyKey,
	}
}

func caseUpdateFromPB(u *pb.UpdateCaseRequest) CaseUpdate {
	return CaseUpdate{
		CaseID: u.GetCaseId(), Intent: u.GetIntent(), Confidence: u.GetConfidence(),
		Category: u.GetCategory(), Status: u.GetStatus(), Fields: u.GetFields(),
		IdempotencyKey: u.GetIdempotencyKey(),
	}
}

func noteToPB(n Note) *pb.AddNoteRequest {
	return &pb.AddNoteRequest{CaseId: n.CaseID, Body: n.Body, Public: n.Public, IdempotencyKey: n.IdempotencyKey}
}

func noteFromPB(n *pb.AddNoteRequest) Note {
	return Note{CaseID: n.GetCaseId(), Body: n.GetBody(), Public: n.GetPublic(), IdempotencyKey: n.GetIdempotencyKey()}
}

func assignmentToPB(a Assignment) *pb.AssignCaseRequest {
	return &pb.AssignCaseRequest{CaseId: a.CaseID, Queue: a.Queue, Agent: a.Agent, IdempotencyKey: a.IdempotencyKey}
}

func assignmentFromPB(a *pb.AssignCaseRequest) Assignment {
	return Assignment{CaseID: a.GetCaseId(), Queue: a.GetQueue(), Agent: a.GetAgent(), IdempotencyKey: a.GetIdempotencyKey()}
}

func customerToPB(c Customer) *pb.Customer {
	return &pb.Customer{
		Id: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone,
		Address: &pb.Address{
			Street: c.Address.Street, City: c.Address.City,
			Postcode: c.Address.Postcode, Country: c.Address.Country,
		},
		Attributes: c.Attributes,
	}
}

func customerFromPB(c *pb.Customer) Customer {
	a := c.GetAddress()
	return Customer{
		ID: c.GetId(), Name: c.GetName(), Email: c.GetEmail(), Phone: c.GetPhone(),
		Address: Address{
			Street: a.GetStreet(), City: a.GetCity(), Postcode: a.GetPostcode(), Country: a.GetCountry(),
		},
		Attributes: c.GetAttributes(),
	}
}

func changeRequestToPB(r ChangeRequest) *pb.ChangeRequest {
	return &pb.ChangeRequest{
		Id: r.ID, CustomerId: r.CustomerID, Kind: r.Kind, Fields: r.Fields, Status: r.Status,
		CaseId: r.CaseID, IdempotencyKey: r.IdempotencyKey, Created: timeToPB(r.Created),
	}
}

func changeRequestFromPB(r *pb.ChangeRequest) ChangeRequest {
	return ChangeRequest{
		ID: r.GetId(), CustomerID: r.GetCustomerId(), Kind: r.GetKind(), Fields: r.GetFields(),
		Status: r.GetStatus(), CaseID: r.GetCaseId(), IdempotencyKey: r.GetIdempotencyKey(),
		Created: timeFromPB(r.GetCreated()),
	}
}
