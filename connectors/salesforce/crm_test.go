package salesforce

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func (f *fakeOrg) setFault(fault func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// failing answers the first n API requests (token requests pass) with the status, header and
// testdata body given.
func failing(f *fakeOrg, n int, status int, header http.Header, body []byte) {
	var mu sync.Mutex
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if n == 0 || strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			return false
		}
		n--
		drain(r)
		for k, v := range header {
			w.Header()[k] = v
		}
		f.write(w, status, body)
		return true
	})
}

func newClient(t testing.TB, c Config) *Client {
	t.Helper()
	cl, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var request = plugin.CaseRequest{
	ExternalID:   "support@acme.example/<CAF=8xk2@mail.example.com>",
	Subject:      "Please change my postal address",
	Description:  "I moved to Rua Augusta 100, Lisboa.",
	Channel:      "email",
	ContactEmail: "ana.silva@example.com",
	CustomerID:   "C-1001",
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEnsureCaseIsIdempotent(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	first, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == "" || first.ExternalID != request.ExternalID || first.Subject != request.Subject || first.Status != "New" || first.CustomerID != "C-1001" {
		t.Fatalf("created case = %+v", first)
	}
	if !strings.HasSuffix(first.URL, "/lightning/r/Case/"+first.ID+"/view") {
		t.Errorf("URL = %q", first.URL)
	}
	stored := f.cases[first.ID]
	if stored["Origin"] != "Email" || stored["SuppliedEmail"] != "ana.silva@example.com" {
		t.Errorf("stored case = %v", stored)
	}
	again, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || len(f.cases) != 1 {
		t.Fatalf("second EnsureCase gave %s with %d cases, want %s and 1", again.ID, len(f.cases), first.ID)
	}
}

func TestEnsureCaseConcurrentGivesOneCase(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			cs, err := c.EnsureCase(ctx, request)
			if err != nil {
				t.Error(err)
			}
			ids[i] = cs.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("ids differ: %v", ids)
		}
	}
	if n := f.count(func() int { return len(f.cases) }); n != 1 {
		t.Fatalf("%d cases, want 1", n)
	}
}

func TestEnsureCaseNeedsExternalID(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	if _, err := c.EnsureCase(ctxT(t), plugin.CaseRequest{Subject: "x"}); err == nil {
		t.Fatal("EnsureCase without an external id succeeded")
	}
}

func TestUpdateCase(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.UpdateCase(ctx, plugin.CaseUpdate{CaseID: cs.ID, Intent: "change_address", Confidence: 0.93,
		Category: "Account Change", Status: "Working", Fields: map[string]string{"Priority": "High"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Intent != "change_address" || got.Confidence != 0.93 || got.Category != "Account Change" || got.Status != "Working" {
		t.Fatalf("updated case = %+v", got)
	}
	if f.cases[cs.ID]["Priority"] != "High" {
		t.Errorf("custom field not written: %v", f.cases[cs.ID])
	}
	// Empty fields are left alone.
	got, err = c.UpdateCase(ctx, plugin.CaseUpdate{CaseID: cs.ID, Status: "Escalated"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Intent != "change_address" || got.Status != "Escalated" {
		t.Fatalf("after a status-only update: %+v", got)
	}
}

func TestAssignCase(t *testing.T) {
	f := newFakeOrg(t)
	cfg := f.config()
	cfg.Queues = map[string]string{"data-change-approvals": "Data_Change_Approvals"}
	c := newClient(t, cfg)
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "data-change-approvals"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Queue != "data-change-approvals" || got.Agent != "" || f.cases[cs.ID]["OwnerId"] != "00G5e000004QueAEAS" {
			t.Fatalf("assigned case = %+v", got)
		}
	}
	if n := len(f.queries); n != 2 {
		t.Errorf("%d SOQL queries for two assignments to one queue, want 2 (its id and its name, cached): %q", n, f.queries)
	}
	got, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Agent: "joao.santos@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Agent != "0055e000009XyZaAAC" || got.Queue != "" {
		t.Fatalf("assigned case = %+v", got)
	}
	// A queue given by its Group id needs no lookup.
	if _, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "00G5e000004QueAEAS"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		a    plugin.Assignment
		want string
	}{
		{plugin.Assignment{CaseID: cs.ID, Queue: "No_Such_Queue"}, "none found"},
		{plugin.Assignment{CaseID: cs.ID, Agent: "nobody"}, "neither a User id nor a username"},
		{plugin.Assignment{CaseID: cs.ID, Queue: "q", Agent: "a@b"}, "one owner"},
		{plugin.Assignment{CaseID: cs.ID}, "no queue or agent"},
	} {
		if _, err := c.AssignCase(ctx, tc.a); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AssignCase(%+v) err = %v, want %q", tc.a, err, tc.want)
		}
	}
	if _, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "No_Such_Queue"}); !errors.Is(err, plugin.ErrNotFound) {
		t.Errorf("unknown queue: err = %v, want ErrNotFound", err)
	}
}

func TestAddNoteIsIdempotent(t *testing.T) {
	for _, object := range []string{NoteCaseComment, NoteTask} {
		t.Run(object, func(t *testing.T) {
			f := newFakeOrg(t)
			cfg := f.config()
			cfg.NoteObject = object
			c := newClient(t, cfg)
			ctx := ctxT(t)
			cs, err := c.EnsureCase(ctx, request)
			if err != nil {
				t.Fatal(err)
			}
			note := plugin.Note{CaseID: cs.ID, Body: "intent change_address (0.93)\npolicy change-address v3", IdempotencyKey: "run-7f3a/classify"}
			for range 2 {
				if err := c.AddNote(ctx, note); err != nil {
					t.Fatal(err)
				}
			}
			note.IdempotencyKey = "run-7f3a/submit"
			if err := c.AddNote(ctx, note); err != nil {
				t.Fatal(err)
			}
			notes := f.comments
			if object == NoteTask {
				notes = f.tasks
			}
			if len(notes) != 2 {
				t.Fatalf("%d notes, want 2: %v", len(notes), notes)
			}
			if object == NoteCaseComment && notes[0]["IsPublished"] != false {
				t.Errorf("decision log published: %v", notes[0])
			}
			if object == NoteTask && notes[0]["Subject"] != "frontdesk: intent change_address (0.93)" {
				t.Errorf("task subject = %v", notes[0]["Subject"])
			}
		})
	}
}

func TestGetCaseNotFound(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	for _, id := range []string{"5005e00000Zx999AAF", "../../query", ""} {
		_, err := c.GetCase(ctxT(t), id)
		if !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("GetCase(%q) err = %v, want ErrNotFound", id, err)
		}
	}
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	f.expireToken()
	if _, err := c.GetCase(ctx, cs.ID); err != nil {
		t.Fatalf("after the session expired: %v", err)
	}
	if f.issued != 2 {
		t.Fatalf("%d tokens issued, want 2", f.issued)
	}
	// A session rejected again right after renewal is an error, not a loop.
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			return false
		}
		f.write(w, 401, testdata(t, "error_invalid_session.json"))
		return true
	})
	_, err = c.GetCase(ctx, cs.ID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || !apiErr.Has("INVALID_SESSION_ID") {
		t.Fatalf("err = %v, want the 401 INVALID_SESSION_ID", err)
	}
	if f.issued != 3 {
		t.Fatalf("%d tokens issued, want 3 (one renewal per call)", f.issued)
	}
}

func TestSignInErrors(t *testing.T) {
	f := newFakeOrg(t)
	cfg := f.config()
	cfg.Auth.ClientSecret = "wrong"
	c := newClient(t, cfg)
	_, err := c.GetCase(ctxT(t), "5005e00000Zx001AAF")
	if err == nil || !strings.Contains(err.Error(), "invalid_client: invalid client credentials") {
		t.Fatalf("err = %v", err)
	}
	if f.requests != 1 {
		t.Errorf("%d requests, want 1: a 400 from the token endpoint is not retried", f.requests)
	}
}

func TestJWTBearerFlow(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	f := newFakeOrg(t)
	f.jwtKey = &key.PublicKey
	cfg := f.config()
	cfg.Auth = Auth{Flow: FlowJWTBearer, ClientID: clientID, Username: "integration@acme.example",
		Audience: "https://login.salesforce.com", PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	c := newClient(t, cfg)
	if _, err := c.EnsureCase(ctxT(t), request); err != nil {
		t.Fatal(err)
	}
	// Signed with another key, the assertion is refused.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	cfg.Auth.PrivateKey = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)}))
	c = newClient(t, cfg)
	if _, err := c.EnsureCase(ctxT(t), request); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("err = %v, want invalid_grant", err)
	}
}

func TestRetries(t *testing.T) {
	unavailable := testdata(t, "error_server_unavailable.json")
	t.Run("429 with Retry-After", func(t *testing.T) {
		f := newFakeOrg(t)
		c := newClient(t, f.config())
		failing(f, 1, 429, http.Header{"Retry-After": {"1"}}, []byte(`[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`))
		start := time.Now()
		if _, err := c.EnsureCase(ctxT(t), request); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("retried after %v; Retry-After said 1s", d)
		}
	})
	t.Run("500s then success", func(t *testing.T) {
		f := newFakeOrg(t)
		c := newClient(t, f.config())
		failing(f, 2, 503, nil, unavailable)
		if _, err := c.EnsureCase(ctxT(t), request); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("500s exhausted", func(t *testing.T) {
		f := newFakeOrg(t)
		c := newClient(t, f.config())
		failing(f, 100, 500, nil, unavailable)
		_, err := c.GetCase(ctxT(t), "5005e00000Zx001AAF")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 500 || apiErr.Attempts != 3 || !apiErr.Has("SERVER_UNAVAILABLE") {
			t.Fatalf("err = %v, want a 500 after 3 attempts", err)
		}
		if !strings.Contains(err.Error(), "after 3 attempts SERVER_UNAVAILABLE: Server temporarily unavailable") {
			t.Errorf("message = %q", err)
		}
	})
	t.Run("4xx not retried", func(t *testing.T) {
		f := newFakeOrg(t)
		c := newClient(t, f.config())
		ctx := ctxT(t)
		req := request
		req.Subject = ""
		before := f.requests
		_, err := c.EnsureCase(ctx, req)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 400 || !strings.Contains(err.Error(), "REQUIRED_FIELD_MISSING: Required fields are missing: [Subject] (fields Subject)") {
			t.Fatalf("err = %v", err)
		}
		// token, lookup, upsert: one each.
		if n := f.requests - before; n != 3 {
			t.Fatalf("%d requests, want 3", n)
		}
	})
}

func TestMalformedResponses(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"truncated JSON", `{"Id":"5005e00000Zx001AAF","Subj`, 200, "malformed Case record"},
		{"no Id", `{"attributes":{"type":"Case"}}`, 200, "no Id"},
		{"HTML from a proxy", `<html><body>Bad gateway</body></html>`, 400, "UNEXPECTED_RESPONSE: <html>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t)
			c := newClient(t, f.config())
			failing(f, 100, tc.status, nil, []byte(tc.body))
			_, err := c.GetCase(ctxT(t), "5005e00000Zx001AAF")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestExternalIDOnSeveralCases(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	failing(f, 1, 300, nil, []byte(`["/services/data/v61.0/sobjects/Case/5005e00000Zx001AAF","/services/data/v61.0/sobjects/Case/5005e00000Zx002AAF"]`))
	_, err := c.EnsureCase(ctxT(t), request)
	if err == nil || !strings.Contains(err.Error(), "the external id is on several cases (mark Frontdesk_External_Id__c Unique)") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeadlineIsHonoured(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			return false
		}
		<-r.Context().Done()
		return true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetCase(ctx, "5005e00000Zx001AAF")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v past a 200ms deadline", d)
	}
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	c.Auth.Flow = "password"
	c.NoteObject = "Email"
	err := c.Validate()
	for _, want := range []string{"instance_url", "client_id", `"password"`, `note_object "Email"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
	lookup := func(k string) (string, bool) {
		v, ok := map[string]string{"SALESFORCE_INSTANCE_URL": "https://acme.my.salesforce.com", "SALESFORCE_CLIENT_ID": "id",
			"SALESFORCE_CLIENT_SECRET": "s", "SALESFORCE_API_VERSION": "v62.0"}[k]
		return v, ok
	}
	cfg, err := LoadConfig("", lookup)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIVersion != "v62.0" || cfg.IntentField != "Frontdesk_Intent__c" {
		t.Fatalf("config = %+v", cfg)
	}
}
