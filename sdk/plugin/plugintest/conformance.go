package plugintest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// unique returns a value no earlier run of the suite used, so that the checks also work
// against a CRM or back office that keeps its data.
func unique(t testing.TB, what string) string {
	return fmt.Sprintf("plugintest-%s-%s-%d", what, t.Name(), time.Now().UnixNano())
}

// CRM checks crm against what frontdesk relies on: EnsureCase is idempotent by external id,
// GetCase of an unknown id gives ErrNotFound, updates, notes and assignments show in GetCase.
// Pass the implementation itself or a client from Start.
func CRM(t *testing.T, crm plugin.CRM) {
	ctx := context.Background()
	ext := unique(t, "case")
	first, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: ext, Subject: "plugintest", Channel: "email", IdempotencyKey: ext})
	if err != nil {
		t.Fatalf("EnsureCase: %v", err)
	}
	if first.ID == "" || first.ExternalID != ext {
		t.Fatalf("EnsureCase = %+v, want an id and external id %q", first, ext)
	}
	t.Run("EnsureCaseIsIdempotent", func(t *testing.T) {
		again, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: ext, Subject: "other", IdempotencyKey: ext})
		if err != nil || again.ID != first.ID {
			t.Errorf("EnsureCase again = %q, %v; want the first case %q", again.ID, err, first.ID)
		}
	})
	t.Run("GetCase", func(t *testing.T) {
		got, err := crm.GetCase(ctx, first.ID)
		if err != nil || got.ID != first.ID || got.ExternalID != ext {
			t.Errorf("GetCase(%q) = %+v, %v", first.ID, got, err)
		}
	})
	t.Run("GetCaseUnknownIsNotFound", func(t *testing.T) {
		if _, err := crm.GetCase(ctx, "no-such-case"); !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("GetCase(unknown) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("UpdateCase", func(t *testing.T) {
		up := plugin.CaseUpdate{CaseID: first.ID, Intent: "change_address", Confidence: 0.93,
			Category: "account", IdempotencyKey: unique(t, "update")}
		got, err := crm.UpdateCase(ctx, up)
		if err != nil {
			t.Fatalf("UpdateCase: %v", err)
		}
		if got.Intent != up.Intent || got.Confidence != up.Confidence || got.Category != up.Category {
			t.Errorf("UpdateCase = %+v, want intent, confidence and category of %+v", got, up)
		}
	})
	t.Run("AddNoteTwiceWithOneKey", func(t *testing.T) {
		n := plugin.Note{CaseID: first.ID, Body: "policy change-address: node submit", IdempotencyKey: unique(t, "note")}
		for i := range 2 {
			if err := crm.AddNote(ctx, n); err != nil {
				t.Fatalf("AddNote #%d: %v", i+1, err)
			}
		}
	})
	t.Run("AssignCaseToQueue", func(t *testing.T) {
		got, err := crm.AssignCase(ctx, plugin.Assignment{CaseID: first.ID, Queue: "data-change-approvals", IdempotencyKey: unique(t, "assign")})
		if err != nil || got.Queue != "data-change-approvals" {
			t.Errorf("AssignCase = %+v, %v; want queue data-change-approvals", got, err)
		}
	})
	t.Run("AddNoteToUnknownCaseIsNotFound", func(t *testing.T) {
		if err := crm.AddNote(ctx, plugin.Note{CaseID: "no-such-case", Body: "x"}); !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("AddNote(unknown case) error = %v, want ErrNotFound", err)
		}
	})
}

// BackOffice checks bo against what frontdesk relies on, using an existing customer: the
// customer has a phone, an unknown one gives ErrNotFound, change requests are pending,
// idempotent by key, and listed until decided.
func BackOffice(t *testing.T, bo plugin.BackOffice, customerID string) {
	ctx := context.Background()
	t.Run("GetCustomer", func(t *testing.T) {
		c, err := bo.GetCustomer(ctx, customerID)
		if err != nil || c.ID != customerID || c.Phone == "" {
			t.Errorf("GetCustomer(%q) = %+v, %v; want the customer with a phone", customerID, c, err)
		}
	})
	t.Run("GetCustomerUnknownIsNotFound", func(t *testing.T) {
		if _, err := bo.GetCustomer(ctx, "no-such-customer"); !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("GetCustomer(unknown) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("ChangeRequest", func(t *testing.T) {
		req := plugin.ChangeRequest{CustomerID: customerID, Kind: "address",
			Fields: map[string]string{"street": "1 Test Street", "postcode": "TE1 1ST"}, IdempotencyKey: unique(t, "change")}
		cr, err := bo.SubmitChangeRequest(ctx, req)
		if err != nil {
			t.Fatalf("SubmitChangeRequest: %v", err)
		}
		if cr.ID == "" || cr.Status != "pending" || cr.CustomerID != customerID {
			t.Fatalf("SubmitChangeRequest = %+v, want a pending request of %s", cr, customerID)
		}
		again, err := bo.SubmitChangeRequest(ctx, req)
		if err != nil || again.ID != cr.ID {
			t.Errorf("SubmitChangeRequest again = %q, %v; want the first %q", again.ID, err, cr.ID)
		}
		got, err := bo.GetChangeRequest(ctx, cr.ID)
		if err != nil || got.ID != cr.ID || got.Fields["street"] != "1 Test Street" {
			t.Errorf("GetChangeRequest(%q) = %+v, %v", cr.ID, got, err)
		}
		list, err := bo.ListChangeRequests(ctx, customerID)
		if err != nil || !slices.ContainsFunc(list, func(c plugin.ChangeRequest) bool { return c.ID == cr.ID }) {
			t.Errorf("ListChangeRequests(%q) = %+v, %v; want it to hold %q", customerID, list, err, cr.ID)
		}
	})
}

// Messaging checks m: SendSMS to the number answers a receipt with an id, and the same key
// gives the same receipt.
func Messaging(t *testing.T, m plugin.Messaging, to string) {
	ctx := context.Background()
	sms := plugin.SMS{To: to, Body: "Your code is 123456", IdempotencyKey: unique(t, "sms")}
	r1, err := m.SendSMS(ctx, sms)
	if err != nil || r1.ID == "" {
		t.Fatalf("SendSMS = %+v, %v; want a receipt with an id", r1, err)
	}
	r2, err := m.SendSMS(ctx, sms)
	if err != nil || r2.ID != r1.ID {
		t.Errorf("SendSMS again = %+v, %v; want the first receipt %q", r2, err, r1.ID)
	}
}
