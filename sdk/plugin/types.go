// Package plugin is what plugin authors import to connect frontdesk to a CRM, a back office, an
// SMS gateway or any other data source. A plugin implements one or more of the interfaces below
// with plain Go types and calls Serve; frontdesk starts it as a separate process and talks to it
// over gRPC. No protobuf type appears in this package's API.
package plugin

import (
	"context"
	"time"
)

// CRM adapts a customer-relationship system, where every case and automated decision lives.
type CRM interface {
	// EnsureCase creates the case or, when one with the same ExternalID exists, returns it.
	EnsureCase(ctx context.Context, req CaseRequest) (Case, error)
	// UpdateCase changes the given fields of a case; empty fields are left alone.
	UpdateCase(ctx context.Context, req CaseUpdate) (Case, error)
	// AddNote appends a note, the decision log, to a case. It is idempotent by the key.
	AddNote(ctx context.Context, req Note) error
	// AssignCase assigns a case to a queue or an agent.
	AssignCase(ctx context.Context, req Assignment) (Case, error)
	// GetCase returns a case by id; ErrNotFound when there is none.
	GetCase(ctx context.Context, caseID string) (Case, error)
}

// BackOffice adapts the system of record for customer data. Changes are only ever submitted as
// requests pending a human's approval.
type BackOffice interface {
	// GetCustomer returns a customer by id; ErrNotFound when there is none.
	GetCustomer(ctx context.Context, customerID string) (Customer, error)
	// SubmitChangeRequest submits a change of customer data, pending approval. Idempotent by key.
	SubmitChangeRequest(ctx context.Context, req ChangeRequest) (ChangeRequest, error)
	// GetChangeRequest returns a change request by id.
	GetChangeRequest(ctx context.Context, id string) (ChangeRequest, error)
	// ListChangeRequests returns a customer's change requests that still await a decision.
	ListChangeRequests(ctx context.Context, customerID string) ([]ChangeRequest, error)
}

// Messaging sends outbound notices such as SMS.
type Messaging interface {
	// SendSMS sends a text message. Idempotent by key.
	SendSMS(ctx context.Context, req SMS) (SMSReceipt, error)
}

// Hydrator is a generic named fetch for data sources that fit none of the interfaces above.
type Hydrator interface {
	// Fetch returns the result of the named call. Args and the result are JSON-shaped values.
	Fetch(ctx context.Context, call string, args map[string]any) (any, error)
}

// CaseRequest asks for a case by external id.
type CaseRequest struct {
	// ExternalID is frontdesk's idempotency key for the case (a mailbox and Message-ID, a
	// conversation id).
	ExternalID     string
	Subject        string
	Description    string
	Channel        string
	ContactEmail   string
	ContactPhone   string
	CustomerID     string
	IdempotencyKey string
}

// Case is a CRM case as frontdesk sees it.
type Case struct {
	ID         string
	ExternalID string
	Subject    string
	Status     string
	Intent     string
	Confidence float64
	Category   string
	Queue      string
	Agent      string
	CustomerID string
	URL        string
	Created    time.Time
	Updated    time.Time
}

// CaseUpdate names a case and the fields to change; empty fields are left as they are.
type CaseUpdate struct {
	CaseID     string
	Intent     string
	Confidence float64
	Category   string
	Status     string
	// Fields holds CRM-specific custom fields by their API names.
	Fields         map[string]string
	IdempotencyKey string
}

// Note is one entry of a case's log.
type Note struct {
	CaseID string
	Body   string
	// Public notes are visible to the customer; the decision log is internal.
	Public         bool
	IdempotencyKey string
}

// Assignment assigns a case to a queue or to an agent.
type Assignment struct {
	CaseID         string
	Queue          string
	Agent          string
	IdempotencyKey string
}

// Customer is a back-office customer record.
type Customer struct {
	ID      string
	Name    string
	Email   string
	Phone   string
	Address Address
	// Attributes holds further fields the back office returns.
	Attributes map[string]string
}

// Address is a postal address.
type Address struct {
	Street   string
	City     string
	Postcode string
	Country  string
}

// ChangeRequest is a change of customer data awaiting a human's decision.
type ChangeRequest struct {
	ID         string
	CustomerID string
	// Kind says what changes, such as "address", "phone" or "email".
	Kind string
	// Fields are the new values by name.
	Fields map[string]string
	// Status is "pending", "approved" or "rejected"; frontdesk only ever creates "pending".
	Status         string
	CaseID         string
	IdempotencyKey string
	Created        time.Time
}

// SMS is an outbound text message.
type SMS struct {
	To             string
	Body           string
	IdempotencyKey string
}

// SMSReceipt confirms that a message was accepted for delivery.
type SMSReceipt struct {
	ID     string
	Status string
}

// Services are the services one plugin process offers to frontdesk; nil ones are not offered.
type Services struct {
	CRM        CRM
	BackOffice BackOffice
	Messaging  Messaging
	Hydrator   Hydrator
}
