package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

const token = "bo-test-token-5f1c"

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeBackOffice serves the back-office API of testdata/backoffice.yaml on loopback.
type fakeBackOffice struct {
	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	created  map[string][]byte             // idempotency key -> answer
	byID     map[string]map[string]any     // created change requests by id
	script   []func(w http.ResponseWriter) // answers the next requests in place of the API
}

func newFakeBackOffice(t testing.TB) *fakeBackOffice {
	f := &fakeBackOffice{t: t, created: map[string][]byte{}, byID: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "C-1001" {
			f.problem(w, 404, "Not Found", "no customer "+r.PathValue("id"))
			return
		}
		f.write(w, 200, testdata(t, "customer.json"))
	})
	mux.HandleFunc("POST /api/v2/customers/{id}/change-requests", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Type      string
			Changes   map[string]string
			Reference struct{ CrmCaseID *string }
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.problem(w, 400, "Bad Request", err.Error())
			return
		}
		if body.Changes["postcode"] == "bad" {
			f.write(w, 422, testdata(t, "error_validation.json"))
			return
		}
		key := r.Header.Get("Idempotency-Key")
		f.mu.Lock()
		defer f.mu.Unlock()
		if prev, ok := f.created[key]; ok {
			f.write(w, 200, prev)
			return
		}
		var answer map[string]map[string]any
		json.Unmarshal(testdata(t, "change_request.json"), &answer)
		answer["data"]["requestId"] = fmt.Sprintf("CR-20261121-%04d", 42+len(f.created))
		answer["data"]["customerNumber"] = r.PathValue("id")
		answer["data"]["type"], answer["data"]["changes"] = body.Type, body.Changes
		answer["data"]["reference"] = map[string]any{"crmCaseId": body.Reference.CrmCaseID}
		out, _ := json.Marshal(answer)
		f.created[key] = out
		f.byID[answer["data"]["requestId"].(string)] = answer["data"]
		f.write(w, 201, out)
	})
	mux.HandleFunc("GET /api/v2/change-requests/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		cr, ok := f.byID[r.PathValue("id")]
		f.mu.Unlock()
		switch {
		case ok:
			b, _ := json.Marshal(map[string]any{"data": cr})
			f.write(w, 200, b)
		case r.PathValue("id") == "CR-20261121-0042":
			f.write(w, 200, testdata(t, "change_request.json"))
		default:
			f.problem(w, 404, "Not Found", "no change request")
		}
	})
	mux.HandleFunc("GET /api/v2/customers/{id}/change-requests", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != "AWAITING_APPROVAL" {
			f.problem(w, 400, "Bad Request", "state is required")
			return
		}
		var list map[string]map[string][]any
		json.Unmarshal(testdata(t, "change_requests.json"), &list)
		f.mu.Lock()
		for _, cr := range f.byID {
			if cr["customerNumber"] == r.PathValue("id") {
				list["data"]["items"] = append(list["data"]["items"], cr)
			}
		}
		f.mu.Unlock()
		b, _ := json.Marshal(list)
		f.write(w, 200, b)
	})
	mux.HandleFunc("GET /api/v2/customers/{id}/orders", func(w http.ResponseWriter, r *http.Request) {
		f.write(w, 200, testdata(t, "orders.json"))
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r)
		var next func(http.ResponseWriter)
		if len(f.script) > 0 {
			next, f.script = f.script[0], f.script[1:]
		}
		f.mu.Unlock()
		if next != nil {
			next(w)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token || r.Header.Get("X-Client") != "frontdesk" {
			f.problem(w, 401, "Unauthorized", "missing or wrong token")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBackOffice) write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

func (f *fakeBackOffice) problem(w http.ResponseWriter, status int, title, detail string) {
	b, _ := json.Marshal(map[string]any{"type": "about:blank", "title": title, "status": status, "detail": detail})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	w.Write(b)
}

func (f *fakeBackOffice) answer(status int, header http.Header, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

// env is the environment the connector is loaded with in tests.
func (f *fakeBackOffice) env() func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := map[string]string{"BACKOFFICE_TOKEN": token, "REST_BASE_URL": f.srv.URL + "/api/v2"}[k]
		return v, ok
	}
}

func (f *fakeBackOffice) client(t testing.TB) *Client {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join("testdata", "backoffice.yaml"), f.env())
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestGetCustomer(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	got, err := c.GetCustomer(ctxT(t), "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.Customer{
		ID: "C-1001", Name: "Ana Silva", Email: "ana.silva@example.com", Phone: "+351912345678",
		Address:    plugin.Address{Street: "Rua Augusta 100", City: "Lisboa", Postcode: "1100-053", Country: "PT"},
		Attributes: map[string]string{"segment": "gold", "account_id": "90071992547409931"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if _, err := c.GetCustomer(ctxT(t), "C-404"); !errors.Is(err, plugin.ErrNotFound) {
		t.Fatalf("missing customer: err = %v, want ErrNotFound", err)
	}
	// The id is escaped into its path segment, never reaching another resource.
	if _, err := c.GetCustomer(ctxT(t), "../change-requests/CR-20261121-0042"); !errors.Is(err, plugin.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if p := f.requests[len(f.requests)-1].URL.EscapedPath(); p != "/api/v2/customers/..%2Fchange-requests%2FCR-20261121-0042" {
		t.Fatalf("path = %s", p)
	}
}

func TestSubmitChangeRequestIsIdempotent(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	req := plugin.ChangeRequest{CustomerID: "C-1001", Kind: "address", Fields: map[string]string{"street": "Rua do Ouro 12", "postcode": "1100-060"},
		CaseID: "5005e00000ZxQ1aAAF", IdempotencyKey: "run-7f3a/submit"}
	first, err := c.SubmitChangeRequest(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.ChangeRequest{ID: "CR-20261121-0042", CustomerID: "C-1001", Kind: "address", Fields: req.Fields, Status: "pending",
		CaseID: "5005e00000ZxQ1aAAF", IdempotencyKey: "run-7f3a/submit", Created: time.Date(2026, 11, 21, 18, 4, 10, 0, time.UTC)}
	if !reflect.DeepEqual(first, want) {
		t.Fatalf("got  %+v\nwant %+v", first, want)
	}
	r := f.requests[0]
	if r.Header.Get("Idempotency-Key") != "run-7f3a/submit" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", r.Header)
	}
	again, err := c.SubmitChangeRequest(ctxT(t), req)
	if err != nil || again.ID != first.ID || len(f.created) != 1 {
		t.Fatalf("second submit: %+v, %v; %d created", again, err, len(f.created))
	}
	req.Fields = map[string]string{"postcode": "bad"}
	req.IdempotencyKey = "run-7f3a/submit-2"
	_, err = c.SubmitChangeRequest(ctxT(t), req)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 422 || err.Error() != "rest: operations.SubmitChangeRequest: HTTP 422: changes.postcode: must match ^[0-9]{4}-[0-9]{3}$" {
		t.Fatalf("err = %v", err)
	}
}

func TestGetAndListChangeRequests(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	got, err := c.GetChangeRequest(ctxT(t), "CR-20261121-0042")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "pending" || got.Fields["postcode"] != "1100-060" || got.CaseID != "5005e00000ZxQ1aAAF" {
		t.Fatalf("got %+v", got)
	}
	if _, err := c.GetChangeRequest(ctxT(t), "CR-0"); !errors.Is(err, plugin.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	list, err := c.ListChangeRequests(ctxT(t), "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	// The approved request in the answer is left out.
	if len(list) != 1 || list[0].ID != "CR-20261121-0042" || list[0].Kind != "address" {
		t.Fatalf("list = %+v", list)
	}
}

func TestFetch(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	got, err := c.Fetch(ctxT(t), "orders", map[string]any{"customer_id": "C-1001", "since": "2026-11-01T00:00:00+00:00"})
	if err != nil {
		t.Fatal(err)
	}
	orders, ok := got.([]any)
	if !ok || len(orders) != 2 {
		t.Fatalf("result = %#v", got)
	}
	first := orders[0].(map[string]any)
	if first["orderId"] != int64(7700012) || first["total"].(map[string]any)["amount"] != 42.5 {
		t.Fatalf("first order = %#v", first)
	}
	if q := f.requests[0].URL.RawQuery; q != "since=2026-11-01T00%3A00%3A00%2B00%3A00" {
		t.Fatalf("query = %s", q)
	}
	if _, err := c.Fetch(ctxT(t), "invoices", nil); err == nil || !strings.Contains(err.Error(), `no hydrator named "invoices"; configured: orders`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.Fetch(ctxT(t), "orders", map[string]any{"customer_id": "C-1001"}); err == nil || !strings.Contains(err.Error(), `map has no entry for key "since"`) {
		t.Fatalf("missing argument: err = %v", err)
	}
}

func TestUnconfiguredOperation(t *testing.T) {
	f := newFakeBackOffice(t)
	cfg, err := LoadConfig(filepath.Join("testdata", "backoffice.yaml"), f.env())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Operations = maps.Clone(cfg.Operations)
	delete(cfg.Operations, OpListChangeRequests)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListChangeRequests(ctxT(t), "C-1001"); !errors.Is(err, plugin.ErrUnimplemented) {
		t.Fatalf("err = %v, want ErrUnimplemented", err)
	}
}

func TestRetriesAndErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   func(f *fakeBackOffice) []func(http.ResponseWriter)
		want     string
		requests int
	}{
		{"503 then success", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(503, nil, "upstream connect error")}
		}, "", 2},
		{"429 with Retry-After", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(429, http.Header{"Retry-After": {"1"}}, `{"message":"slow down"}`)}
		}, "", 2},
		{"500s exhausted", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			a := f.answer(500, nil, `{"error":"database unavailable"}`)
			return []func(http.ResponseWriter){a, a, a}
		}, "rest: operations.GetCustomer: HTTP 500 after 3 attempts: database unavailable", 3},
		{"400 not retried", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(400, nil, `{"title":"Bad Request","detail":"customer id malformed"}`)}
		}, "rest: operations.GetCustomer: HTTP 400: customer id malformed", 1},
		{"malformed JSON", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(200, nil, `{"data": {"customerNumber": "C-1`)}
		}, "malformed response: unexpected EOF", 1},
		{"root missing", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(200, nil, `{"customer": {}}`)}
		}, `nothing at response.root "data"`, 1},
		{"root not an object", func(f *fakeBackOffice) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){f.answer(200, nil, `{"data": [1, 2]}`)}
		}, "want an object, got an array", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeBackOffice(t)
			c := f.client(t)
			f.script = tc.script(f)
			start := time.Now()
			_, err := c.GetCustomer(ctxT(t), "C-1001")
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if len(f.requests) != tc.requests {
				t.Fatalf("%d requests, want %d", len(f.requests), tc.requests)
			}
			if strings.HasPrefix(tc.name, "429") && time.Since(start) < time.Second {
				t.Fatalf("retried before Retry-After")
			}
		})
	}
}

func TestDeadlineIsHonoured(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	block := make(chan struct{})
	defer close(block)
	f.script = []func(http.ResponseWriter){func(http.ResponseWriter) { <-block }}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.GetCustomer(ctx, "C-1001"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}
