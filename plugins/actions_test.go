package plugins

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// startLocal starts the local plugin as "crm" and the test plugin as "test".
func startLocal(t *testing.T) *Host {
	t.Helper()
	log, _ := testLogger(t)
	h, err := Start(context.Background(), []Config{localConfig(t, "crm"), testConfig("test", nil)}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestActionNames(t *testing.T) {
	h := startLocal(t)
	got := strings.Join(h.Actions().Names(), " ")
	want := "crm.AddNote crm.AssignCase crm.EnsureCase crm.GetCase crm.GetChangeRequest crm.GetCustomer " +
		"crm.ListChangeRequests crm.SendSMS crm.SubmitChangeRequest crm.UpdateCase " +
		"test.AddNote test.AssignCase test.EnsureCase test.GetCase test.UpdateCase"
	if got != want {
		t.Errorf("Actions().Names() =\n %s\nwant\n %s", got, want)
	}
}

func TestActionsThroughLocalPlugin(t *testing.T) {
	h := startLocal(t)
	acts := h.Actions()
	ctx := context.Background()
	do := func(name string, caseID, key string, args map[string]any) map[string]any {
		t.Helper()
		res, err := acts.Dispatch(ctx, policy.ActionCall{Name: name, Args: args, CaseID: caseID,
			ConversationID: "conv-1", Channel: "webchat", IdempotencyKey: key})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, ok := res.Output.(map[string]any)
		if !ok {
			t.Fatalf("%s output = %T, want a map", name, res.Output)
		}
		return out
	}
	c := do("crm.EnsureCase", "", "run-1/open", map[string]any{"subject": "Change of address"})
	id, _ := c["id"].(string)
	if id == "" || c["external_id"] != "conv-1" {
		t.Fatalf("EnsureCase output = %v; want an id and the conversation as external id", c)
	}
	if _, ok := c["created"].(string); !ok {
		t.Errorf("EnsureCase output lacks created: %v", c)
	}
	c = do("crm.UpdateCase", id, "run-1/intent", map[string]any{"intent": "change_address", "confidence": 0.91, "fields": map[string]any{"Tier__c": "gold"}})
	if c["intent"] != "change_address" || c["confidence"] != 0.91 {
		t.Errorf("UpdateCase output = %v", c)
	}
	do("crm.AddNote", id, "run-1/note", map[string]any{"body": "policy change-address v1: node check -> confirm"})
	c = do("crm.AssignCase", id, "run-1/approval", map[string]any{"queue": "data-change-approvals"})
	if c["queue"] != "data-change-approvals" {
		t.Errorf("AssignCase output = %v", c)
	}
	cr := do("crm.SubmitChangeRequest", id, "run-1/submit", map[string]any{"customer_id": "C-1001", "kind": "address",
		"fields": map[string]any{"street": "1 New Road", "postcode": "AB1 2CD"}})
	if cr["status"] != "pending" || cr["case_id"] != id || cr["fields"].(map[string]any)["postcode"] != "AB1 2CD" {
		t.Errorf("SubmitChangeRequest output = %v", cr)
	}
	again := do("crm.SubmitChangeRequest", id, "run-1/submit", map[string]any{"customer_id": "C-1001", "kind": "address",
		"fields": map[string]any{"street": "1 New Road", "postcode": "AB1 2CD"}})
	if again["id"] != cr["id"] {
		t.Errorf("a retried SubmitChangeRequest made %v, the first %v", again["id"], cr["id"])
	}
	sms := do("crm.SendSMS", id, "run-1/otp", map[string]any{"to": "+447700900101", "body": "Your code is 123456"})
	if sms["id"] == "" || sms["status"] != "queued" {
		t.Errorf("SendSMS output = %v", sms)
	}
}

func TestActionArgumentErrors(t *testing.T) {
	h := startLocal(t)
	acts := h.Actions()
	for _, tc := range []struct {
		name   string
		caseID string
		args   map[string]any
		want   string
	}{
		{"crm.AssignCase", "CASE-000001", map[string]any{"queu": "x"}, `unknown argument "queu"`},
		{"crm.AssignCase", "", map[string]any{"queue": "x"}, `"case_id" is required`},
		{"crm.UpdateCase", "CASE-000001", map[string]any{"confidence": "high"}, `"confidence" must be a number, got string`},
		{"crm.SubmitChangeRequest", "", map[string]any{"customer_id": "C-1001", "fields": map[string]any{"a": []any{1}}}, `"kind" is required`},
		{"crm.SubmitChangeRequest", "", map[string]any{"customer_id": "C-1001", "kind": "x", "fields": map[string]any{"a": []any{1}}}, `"fields.a" must be a string, number or boolean`},
		{"crm.SendSMS", "", map[string]any{"to": map[string]any{}, "body": "x"}, `"to" must be a string`},
	} {
		_, err := acts.Dispatch(context.Background(), policy.ActionCall{Name: tc.name, CaseID: tc.caseID, Args: tc.args})
		if !errors.Is(err, ErrBadArgs) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s(%v) error = %v, want ErrBadArgs saying %s", tc.name, tc.args, err, tc.want)
		}
	}
}

func TestSources(t *testing.T) {
	h := startLocal(t)
	ctx := context.Background()
	src := h.Sources()
	if len(src) != 2 {
		t.Fatalf("Sources() = %v, want crm and test", src)
	}
	cust, err := src["crm"].Fetch(ctx, "GetCustomer", map[string]any{"customer_id": "C-1001"})
	if err != nil {
		t.Fatal(err)
	}
	m := cust.(map[string]any)
	if m["phone"] != "+447700900101" || m["address"].(map[string]any)["postcode"] != "SW1Y 4JH" ||
		m["attributes"].(map[string]any)["tier"] != "gold" {
		t.Errorf("GetCustomer = %v", m)
	}
	if v, err := src["crm"].Fetch(ctx, "GetCustomer", map[string]any{"customer_id": "C-0000"}); v != nil || err != nil {
		t.Errorf("GetCustomer(unknown) = %v, %v; want nil, nil", v, err)
	}
	list, err := src["crm"].Fetch(ctx, "ListChangeRequests", map[string]any{"customer_id": "C-1002"})
	if l, ok := list.([]any); err != nil || !ok || len(l) != 0 {
		t.Errorf("ListChangeRequests = %#v, %v; want an empty list", list, err)
	}
	if _, err := src["crm"].Fetch(ctx, "GetLoyalty", nil); !errors.Is(err, plugin.ErrInvalidArgument) {
		t.Errorf("a call the local Hydrator does not know = %v, want ErrInvalidArgument across the process boundary", err)
	}
	if trip, err := src["crm"].Fetch(ctx, "GetLastTrip", map[string]any{"customer_id": "C-1001"}); err != nil || trip.(map[string]any)["id"] != "T-5001" {
		t.Errorf("GetLastTrip through the local Hydrator = %v, %v", trip, err)
	}
	// The test plugin serves no BackOffice: GetCustomer goes to its Hydrator, which echoes.
	echo, err := src["test"].Fetch(ctx, "GetCustomer", map[string]any{"customer_id": "C-1"})
	if err != nil || echo.(map[string]any)["call"] != "GetCustomer" {
		t.Errorf("GetCustomer through the Hydrator = %v, %v", echo, err)
	}
	if _, err := src["crm"].Fetch(ctx, "GetCustomer", map[string]any{"id": "C-1001"}); !errors.Is(err, ErrBadArgs) {
		t.Errorf("GetCustomer with a wrong argument name = %v, want ErrBadArgs", err)
	}
}

// TestThirdPartyPlugin runs the example plugin, built only on sdk/plugin, as a hydration source.
func TestThirdPartyPlugin(t *testing.T) {
	log, _ := testLogger(t)
	h, err := Start(context.Background(), []Config{{Name: "loyalty", Command: filepath.Join(bin, "loyalty")}}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if n := len(h.Actions()); n != 0 {
		t.Errorf("a Hydrator-only plugin has %d actions, want 0", n)
	}
	got, err := h.Sources()["loyalty"].Fetch(context.Background(), "GetPoints", map[string]any{"customer_id": "C-1004"})
	if err != nil || got.(map[string]any)["points"] != 25500.0 {
		t.Errorf("GetPoints(C-1004) = %v, %v", got, err)
	}
	got, err = h.Sources()["loyalty"].Fetch(context.Background(), "GetPoints", map[string]any{"customer_id": "nobody"})
	if got != nil || err != nil {
		t.Errorf("GetPoints(nobody) = %v, %v; want nil, nil for the Hydrator's ErrNotFound", got, err)
	}
	_, err = h.Sources()["loyalty"].Fetch(context.Background(), "Redeem", map[string]any{"customer_id": "C-1004"})
	if !errors.Is(err, plugin.ErrUnimplemented) {
		t.Errorf("Redeem = %v, want ErrUnimplemented from the Hydrator", err)
	}
}

// TestLocalStackAsThreePlugins runs the local stack as `make run` does: one SQLite file served
// as crm, backoffice and sms by three processes, written concurrently.
func TestLocalStackAsThreePlugins(t *testing.T) {
	log, _ := testLogger(t)
	db := filepath.Join(t.TempDir(), "local.db")
	var cfgs []Config
	for _, name := range []string{"crm", "backoffice", "sms"} {
		cfgs = append(cfgs, Config{Name: name, Command: filepath.Join(bin, "frontdesk-local"), Args: []string{"--db", db}})
	}
	h, err := Start(context.Background(), cfgs, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	acts := h.Actions()
	errs := make(chan error, 30)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			key := fmt.Sprintf("run-%d", i)
			res, err := acts.Dispatch(ctx, policy.ActionCall{Name: "crm.EnsureCase", ConversationID: key, IdempotencyKey: key + "/open"})
			if err != nil {
				errs <- err
				return
			}
			caseID := res.Output.(map[string]any)["id"].(string)
			_, err = acts.Dispatch(ctx, policy.ActionCall{Name: "backoffice.SubmitChangeRequest", CaseID: caseID, IdempotencyKey: key + "/submit",
				Args: map[string]any{"customer_id": "C-1003", "kind": "phone", "fields": map[string]any{"phone": "+447700900999"}}})
			errs <- err
			_, err = acts.Dispatch(ctx, policy.ActionCall{Name: "sms.SendSMS", IdempotencyKey: key + "/otp",
				Args: map[string]any{"to": "+447700900303", "body": "code " + key}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	open, err := h.Sources()["backoffice"].Fetch(context.Background(), "ListChangeRequests", map[string]any{"customer_id": "C-1003"})
	if err != nil || len(open.([]any)) != 10 {
		t.Errorf("ListChangeRequests = %d, %v; want the 10 submitted", len(open.([]any)), err)
	}
}
