package zendesk

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func goldenClient(t testing.TB) *Client {
	cfg := DefaultConfig()
	cfg.Subdomain, cfg.OAuthToken = "acme", "o"
	cfg.IntentFieldID, cfg.ConfidenceFieldID, cfg.CategoryFieldID, cfg.CustomerFieldID = 360012345671, 360012345672, 360012345673, 360012345674
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDecodeTicketGolden(t *testing.T) {
	tk, err := decodeTicket(testdata(t, "ticket.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := goldenClient(t).toCase(tk)
	want := plugin.Case{
		ID: "35436", ExternalID: "support@acme.example/<CAF=8xk2@mail.example.com>", Subject: "Please change my postal address",
		Status: "open", Intent: "change_address", Confidence: 0.93, Category: "account_change", Queue: "98738", Agent: "235323",
		CustomerID: "C-1001", URL: "https://acme.zendesk.com/agent/tickets/35436",
		Created: time.Date(2026, 11, 21, 17, 58, 3, 0, time.UTC), Updated: time.Date(2026, 11, 21, 18, 2, 41, 0, time.UTC),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeListsGolden(t *testing.T) {
	var list ticketList
	if err := json.Unmarshal(testdata(t, "tickets_by_external_id.json"), &list); err != nil || len(list.Tickets) != 1 || list.Tickets[0].ID != 35436 {
		t.Fatalf("tickets: %+v, %v", list, err)
	}
	var comments commentList
	if err := json.Unmarshal(testdata(t, "comments.json"), &comments); err != nil || len(comments.Comments) != 2 || !strings.Contains(comments.Comments[0].Body, "frontdesk-key: run-7f3a/classify") {
		t.Fatalf("comments: %+v, %v", comments, err)
	}
}

func TestDecodeErrorGolden(t *testing.T) {
	for file, want := range map[string]string{
		"error_not_found.json":      "zendesk: op: HTTP 404 RecordNotFound: Not found",
		"error_record_invalid.json": "zendesk: op: HTTP 422 RecordInvalid: Record validation errors; status: Status: closed prevents ticket update",
		"error_unauthorized.json":   "zendesk: op: HTTP 401 Couldn't authenticate you",
		"error_forbidden.json":      "zendesk: op: HTTP 403 Forbidden: You do not have access to this page. Please contact the account owner of this help desk for further help.",
		"error_idempotency.json":    "zendesk: op: HTTP 400 IdempotentRequestError: Request parameters do not match the ones of the original request made with this Idempotency-Key",
	} {
		status := map[string]int{"error_not_found.json": 404, "error_record_invalid.json": 422, "error_unauthorized.json": 401, "error_forbidden.json": 403, "error_idempotency.json": 400}[file]
		if got := newAPIError("op", &retry.Response{Status: status, Body: testdata(t, file), Attempts: 1}).Error(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", file, got, want)
		}
	}
	got := newAPIError("op", &retry.Response{Status: 400, Body: []byte(`{"errors":[{"code":"InvalidPaginationParameter","title":"Invalid pagination","detail":"page[size] must be at most 100"}]}`)}).Error()
	if got != "zendesk: op: HTTP 400 InvalidPaginationParameter: Invalid pagination page[size] must be at most 100" {
		t.Errorf("errors array: %q", got)
	}
}

func FuzzDecodeTicket(f *testing.F) {
	for _, name := range []string{"ticket.json", "tickets_by_external_id.json", "comments.json"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte(`{"ticket":{"id":1,"custom_fields":[{"id":360012345672,"value":["a","b"]},{"id":360012345671,"value":7}]}}`))
	c := goldenClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		tk, err := decodeTicket(body)
		if err != nil {
			return
		}
		if cs := c.toCase(tk); cs.ID == "" || cs.ID == "0" {
			t.Fatalf("decoded a ticket without an id: %+v", cs)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, name := range []string{"error_not_found.json", "error_record_invalid.json", "error_unauthorized.json", "error_forbidden.json", "ticket.json"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte(`{"error":null,"details":{"a":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newAPIError("op", &retry.Response{Status: 422, Body: body, Attempts: 1})
		if !strings.HasPrefix(e.Error(), "zendesk: op: HTTP 422") {
			t.Fatalf("error = %q", e)
		}
	})
}
