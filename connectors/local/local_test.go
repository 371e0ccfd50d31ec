package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "local.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformanceDirect(t *testing.T) {
	s := open(t)
	t.Run("CRM", func(t *testing.T) { plugintest.CRM(t, s) })
	t.Run("BackOffice", func(t *testing.T) { plugintest.BackOffice(t, s, "C-1001") })
	t.Run("Messaging", func(t *testing.T) { plugintest.Messaging(t, s, "+447700900101") })
}

// TestConformanceOverProtocol runs the same checks through gRPC, which proves the error
// mapping (ErrNotFound) and the conversions keep what the store says.
func TestConformanceOverProtocol(t *testing.T) {
	s := open(t)
	c := plugintest.Start(t, plugin.Services{CRM: s, BackOffice: s, Messaging: s})
	t.Run("CRM", func(t *testing.T) { plugintest.CRM(t, c) })
	t.Run("BackOffice", func(t *testing.T) { plugintest.BackOffice(t, c, "C-1002") })
	t.Run("Messaging", func(t *testing.T) { plugintest.Messaging(t, c, "+12025550142") })
}

func TestReopenKeepsDataAndSeedsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "local.db")
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-1"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.GetCase(ctx, c.ID); err != nil || got.ExternalID != "msg-1" {
		t.Errorf("GetCase after reopen = %+v, %v", got, err)
	}
	customers, err := s.Customers(ctx)
	if err != nil || len(customers) != len(DemoCustomers) {
		t.Errorf("Customers after reopen = %d, %v; want %d", len(customers), err, len(DemoCustomers))
	}
}

func TestAssignment(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	c, _ := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-2"})
	steps := []struct {
		a                    plugin.Assignment
		wantQueue, wantAgent string
		wantStatus           string
	}{
		{plugin.Assignment{Queue: "billing", IdempotencyKey: "k1"}, "billing", "", "assigned"},
		{plugin.Assignment{Agent: "agent-7", IdempotencyKey: "k2"}, "billing", "agent-7", "assigned"},
		// A replay of k1 must not undo the later assignment to the agent.
		{plugin.Assignment{Queue: "billing", IdempotencyKey: "k1"}, "billing", "agent-7", "assigned"},
		{plugin.Assignment{Queue: "refunds", IdempotencyKey: "k3"}, "refunds", "", "assigned"},
	}
	for i, st := range steps {
		st.a.CaseID = c.ID
		got, err := s.AssignCase(ctx, st.a)
		if err != nil || got.Queue != st.wantQueue || got.Agent != st.wantAgent || got.Status != st.wantStatus {
			t.Errorf("step %d: AssignCase(%+v) = queue %q agent %q status %q, %v; want %q %q %q",
				i, st.a, got.Queue, got.Agent, got.Status, err, st.wantQueue, st.wantAgent, st.wantStatus)
		}
	}
}

func TestNotesAreIdempotentByKey(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	c, _ := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-3"})
	for _, n := range []plugin.Note{
		{CaseID: c.ID, Body: "intent change_address (0.93)", IdempotencyKey: "run-1/classify"},
		{CaseID: c.ID, Body: "intent change_address (0.93)", IdempotencyKey: "run-1/classify"},
		{CaseID: c.ID, Body: "policy change-address v3", IdempotencyKey: "run-1/select"},
		{CaseID: c.ID, Body: "a note without key"},
		{CaseID: c.ID, Body: "a note without key"},
	} {
		if err := s.AddNote(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	notes, err := s.Notes(ctx, c.ID)
	if err != nil || len(notes) != 4 {
		t.Errorf("Notes = %d, %v; want 4 (the keyed duplicate dropped, unkeyed ones kept)", len(notes), err)
	}
}

func TestUpdateKeepsEmptyFields(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	c, _ := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-4"})
	if _, err := s.UpdateCase(ctx, plugin.CaseUpdate{CaseID: c.ID, Intent: "refund", Confidence: 0.8, Status: "open"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateCase(ctx, plugin.CaseUpdate{CaseID: c.ID, Category: "billing", Fields: map[string]string{"Tier__c": "gold"}})
	if err != nil || got.Intent != "refund" || got.Confidence != 0.8 || got.Status != "open" || got.Category != "billing" {
		t.Errorf("UpdateCase = %+v, %v", got, err)
	}
}

func TestBadInput(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	c, _ := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-5"})
	for name, err := range map[string]error{
		"no external id":   second(s.EnsureCase(ctx, plugin.CaseRequest{})),
		"empty note":       s.AddNote(ctx, plugin.Note{CaseID: c.ID}),
		"empty assignment": second(s.AssignCase(ctx, plugin.Assignment{CaseID: c.ID})),
		"no kind":          second(s.SubmitChangeRequest(ctx, plugin.ChangeRequest{CustomerID: "C-1001", Fields: map[string]string{"a": "b"}})),
		"no fields":        second(s.SubmitChangeRequest(ctx, plugin.ChangeRequest{CustomerID: "C-1001", Kind: "address"})),
		"approved":         second(s.SubmitChangeRequest(ctx, plugin.ChangeRequest{CustomerID: "C-1001", Kind: "address", Fields: map[string]string{"a": "b"}, Status: "approved"})),
		"bad phone":        second(s.SendSMS(ctx, plugin.SMS{To: "0800 123", Body: "x"})),
		"empty sms":        second(s.SendSMS(ctx, plugin.SMS{To: "+447700900101"})),
	} {
		if !errors.Is(err, plugin.ErrInvalidArgument) {
			t.Errorf("%s: error = %v, want ErrInvalidArgument", name, err)
		}
	}
	for name, err := range map[string]error{
		"unknown case":      second(s.UpdateCase(ctx, plugin.CaseUpdate{CaseID: "CASE-999999", Intent: "x"})),
		"malformed case id": second(s.GetCase(ctx, "CASE-x")),
		"unknown customer":  second(s.SubmitChangeRequest(ctx, plugin.ChangeRequest{CustomerID: "C-9", Kind: "address", Fields: map[string]string{"a": "b"}})),
		"unknown change":    second(s.GetChangeRequest(ctx, "CR-000042")),
		"notes of no case":  second(s.Notes(ctx, "CASE-000077")),
	} {
		if !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("%s: error = %v, want ErrNotFound", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestCaseFromEmailFindsItsCustomer links a case written from a customer's address to the
// customer, so a policy continued from an emailed link knows whom it serves.
func TestCaseFromEmailFindsItsCustomer(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for _, tc := range []struct {
		req  plugin.CaseRequest
		want string
	}{
		{plugin.CaseRequest{ExternalID: "m1", ContactEmail: "Ada@Example.com"}, "C-1001"},
		{plugin.CaseRequest{ExternalID: "m2", ContactEmail: "stranger@example.com"}, ""},
		{plugin.CaseRequest{ExternalID: "m3", ContactEmail: "ada@example.com", CustomerID: "C-1002"}, "C-1002"},
		{plugin.CaseRequest{ExternalID: "m4"}, ""},
	} {
		c, err := s.EnsureCase(ctx, tc.req)
		if err != nil || c.CustomerID != tc.want {
			t.Errorf("EnsureCase(%+v): customer %q, %v; want %q", tc.req, c.CustomerID, err, tc.want)
		}
	}
}
