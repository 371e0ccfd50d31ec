package zendesk

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func newClient(t *testing.T, c Config) *Client {
	t.Helper()
	cl, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var request = plugin.CaseRequest{
	ExternalID:   "support@acme.example/<CAF=8xk2@mail.example.com>",
	Subject:      "Please change my postal address",
	Description:  "I moved to Rua Augusta 100, Lisboa.",
	Channel:      "email",
	ContactEmail: "ana.silva@example.com",
	CustomerID:   "C-1001",
}

// failing answers the first n requests with the status, header and body given.
func failing(f *fakeAccount, n int, status int, header http.Header, body []byte) {
	var mu sync.Mutex
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if n == 0 {
			return false
		}
		n--
		for k, v := range header {
			w.Header()[k] = v
		}
		f.write(w, status, body)
		return true
	})
}

func TestEnsureCaseIsIdempotent(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	first, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != "35436" || first.ExternalID != request.ExternalID || first.Status != "new" || first.CustomerID != "C-1001" {
		t.Fatalf("created case = %+v", first)
	}
	if first.URL != f.srv.URL+"/agent/tickets/35436" {
		t.Errorf("URL = %q", first.URL)
	}
	if tags := f.tickets[35436]["tags"].([]any); len(tags) != 2 || tags[0] != "frontdesk" || tags[1] != "channel_email" {
		t.Errorf("tags = %v", tags)
	}
	again, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || len(f.tickets) != 1 {
		t.Fatalf("second EnsureCase gave %s with %d tickets", again.ID, len(f.tickets))
	}
}

func TestEnsureCaseRaceIsSettledByIdempotencyKey(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	// Both calls find no ticket before either creates one: the listing is answered empty for
	// the first two lookups, as when two frontdesk instances race.
	var mu sync.Mutex
	empty := 2
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodGet && r.URL.Path == "/api/v2/tickets.json" && empty > 0 {
			empty--
			f.write(w, 200, []byte(`{"tickets":[],"next_page":null,"previous_page":null,"count":0}`))
			return true
		}
		return false
	})
	ctx := ctxT(t)
	a, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || len(f.tickets) != 1 || f.replays != 1 {
		t.Fatalf("ids %s, %s; %d tickets, %d replays; want one ticket and one replay", a.ID, b.ID, len(f.tickets), f.replays)
	}
}

func TestUpdateCase(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.UpdateCase(ctx, plugin.CaseUpdate{CaseID: cs.ID, Intent: "change_address", Confidence: 0.93,
		Category: "account_change", Status: "open", Fields: map[string]string{"priority": "high", "360099999999": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Intent != "change_address" || got.Confidence != 0.93 || got.Category != "account_change" || got.Status != "open" || got.CustomerID != "C-1001" {
		t.Fatalf("updated case = %+v", got)
	}
	if f.tickets[35436]["priority"] != "high" {
		t.Errorf("priority not written: %v", f.tickets[35436])
	}
	f.tickets[35436]["status"] = "closed"
	_, err = c.UpdateCase(ctx, plugin.CaseUpdate{CaseID: cs.ID, Status: "open"})
	if err == nil || err.Error() != "zendesk: update ticket 35436: HTTP 422 RecordInvalid: Record validation errors; status: Status: closed prevents ticket update" {
		t.Fatalf("err = %v", err)
	}
}

func TestAssignCase(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "data change approvals", Agent: "joao.santos@acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Queue != "Data change approvals" || got.Agent != "235323" || f.tickets[35436]["group_id"] != float64(98738) {
			t.Fatalf("assigned case = %+v", got)
		}
	}
	if f.groupLists != 1 || f.userSearch != 1 {
		t.Errorf("%d group listings and %d user searches for two assignments, want 1 each (cached)", f.groupLists, f.userSearch)
	}
	if got, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "98739"}); err != nil || got.Queue != "Support" {
		t.Fatalf("by group id: %+v, %v", got, err)
	}
	for _, a := range []plugin.Assignment{{CaseID: cs.ID, Queue: "No such group"}, {CaseID: cs.ID, Agent: "nobody@acme.example"}} {
		if _, err := c.AssignCase(ctx, a); !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("AssignCase(%+v) err = %v, want ErrNotFound", a, err)
		}
	}
	if _, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID}); err == nil {
		t.Error("an assignment to nobody succeeded")
	}
}

func TestAddNoteIsIdempotentAndInternal(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	note := plugin.Note{CaseID: cs.ID, Body: "intent change_address (0.93)", IdempotencyKey: "run-7f3a/classify"}
	for range 2 {
		if err := c.AddNote(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	comments := f.comments[35436]
	if len(comments) != 2 { // the description and one note
		t.Fatalf("%d comments, want 2: %v", len(comments), comments)
	}
	if comments[1]["public"] != false || !strings.HasSuffix(comments[1]["body"].(string), "frontdesk-key: run-7f3a/classify") {
		t.Fatalf("note = %v", comments[1])
	}
}

func TestGetCaseNotFound(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	for _, id := range []string{"99999", "abc", "-1", "1/../../groups"} {
		if _, err := c.GetCase(ctxT(t), id); !errors.Is(err, plugin.ErrNotFound) {
			t.Errorf("GetCase(%q) err = %v, want ErrNotFound", id, err)
		}
	}
}

func TestAuth(t *testing.T) {
	f := newFakeAccount(t)
	cfg := f.config()
	cfg.APIToken, cfg.Email, cfg.OAuthToken = "", "", oauthToken
	if _, err := newClient(t, cfg).EnsureCase(ctxT(t), request); err != nil {
		t.Fatalf("OAuth: %v", err)
	}
	cfg.OAuthToken = "revoked"
	before := f.requests
	_, err := newClient(t, cfg).GetCase(ctxT(t), "35436")
	if err == nil || err.Error() != "zendesk: get ticket 35436: HTTP 401 Couldn't authenticate you" {
		t.Fatalf("err = %v", err)
	}
	if f.requests-before != 1 {
		t.Errorf("a 401 was retried")
	}
}

func TestRetries(t *testing.T) {
	t.Run("429 with Retry-After", func(t *testing.T) {
		f := newFakeAccount(t)
		c := newClient(t, f.config())
		failing(f, 1, 429, http.Header{"Retry-After": {"1"}}, []byte("Too Many Requests"))
		start := time.Now()
		if _, err := c.EnsureCase(ctxT(t), request); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("retried after %v; Retry-After said 1s", d)
		}
	})
	t.Run("500s then success", func(t *testing.T) {
		f := newFakeAccount(t)
		c := newClient(t, f.config())
		failing(f, 2, 502, nil, []byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		if _, err := c.EnsureCase(ctxT(t), request); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("500s exhausted", func(t *testing.T) {
		f := newFakeAccount(t)
		c := newClient(t, f.config())
		failing(f, 100, 503, nil, []byte(`{"error":"ServiceUnavailable","description":"Zendesk is temporarily unavailable"}`))
		_, err := c.GetCase(ctxT(t), "35436")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Attempts != 3 || err.Error() != "zendesk: get ticket 35436: HTTP 503 after 3 attempts ServiceUnavailable: Zendesk is temporarily unavailable" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("4xx not retried", func(t *testing.T) {
		f := newFakeAccount(t)
		c := newClient(t, f.config())
		failing(f, 100, 403, nil, testdata(t, "error_forbidden.json"))
		_, err := c.GetCase(ctxT(t), "35436")
		if err == nil || !strings.Contains(err.Error(), "HTTP 403 Forbidden: You do not have access to this page.") || f.requests != 1 {
			t.Fatalf("err = %v after %d requests", err, f.requests)
		}
	})
}

func TestMalformedResponses(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"truncated", `{"ticket":{"id":35436,"subj`, "malformed response"},
		{"no ticket", `{"tickets":[]}`, "no ticket in the response"},
		{"wrong type", `{"ticket":{"id":"35436"}}`, "malformed response"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAccount(t)
			c := newClient(t, f.config())
			failing(f, 100, 200, nil, []byte(tc.body))
			if _, err := c.GetCase(ctxT(t), "35436"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNextPageOffTheAccountIsRefused(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	failing(f, 100, 200, nil, []byte(`{"groups":[],"next_page":"https://evil.example/api/v2/groups.json?page=2"}`))
	_, err := c.AssignCase(ctxT(t), plugin.Assignment{CaseID: "35436", Queue: "Support"})
	if err == nil || !strings.Contains(err.Error(), "refusing to follow a link off the account") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeadlineIsHonoured(t *testing.T) {
	f := newFakeAccount(t)
	c := newClient(t, f.config())
	f.setFault(func(w http.ResponseWriter, r *http.Request) bool { <-r.Context().Done(); return true })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.GetCase(ctx, "35436"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{}, "url (ZENDESK_URL) or subdomain"},
		{Config{Subdomain: "acme"}, "ZENDESK_API_TOKEN (with ZENDESK_EMAIL) or ZENDESK_OAUTH_TOKEN is required"},
		{Config{Subdomain: "acme", APIToken: "t"}, "needs the agent's email"},
		{Config{Subdomain: "acme", APIToken: "t", OAuthToken: "o"}, "not both"},
		{Config{Subdomain: "acme.zendesk.com", OAuthToken: "o"}, "the name alone"},
	} {
		if err := tc.c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.c, err, tc.want)
		}
	}
	lookup := func(k string) (string, bool) {
		v, ok := map[string]string{"ZENDESK_SUBDOMAIN": "acme", "ZENDESK_OAUTH_TOKEN": "o", "ZENDESK_INTENT_FIELD_ID": "360012345671", "ZENDESK_TAGS": "frontdesk,bot"}[k]
		return v, ok
	}
	c, err := LoadConfig("", lookup)
	if err != nil {
		t.Fatal(err)
	}
	if c.baseURL() != "https://acme.zendesk.com" || c.IntentFieldID != 360012345671 || len(c.Tags) != 2 {
		t.Fatalf("config = %+v", c)
	}
}
