package zendesk

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeAccount is a Zendesk account on loopback: the Tickets, Ticket Comments, Groups and Users
// endpoints the connector uses, answering in the wire format of the payloads under testdata/,
// with Idempotency-Key handling as Zendesk documents it.
type fakeAccount struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	tickets     map[int64]map[string]any
	comments    map[int64][]map[string]any
	idempotency map[string]idempotent
	replays     int
	groupLists  int
	userSearch  int
	requests    int
	// fault, when set, may answer a request in place of the account (return true when it did).
	fault func(w http.ResponseWriter, r *http.Request) bool
}

type idempotent struct {
	sum  [32]byte
	body []byte
}

const (
	agentEmail = "frontdesk@acme.example"
	apiToken   = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"
	oauthToken = "gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo"
)

func newFakeAccount(t *testing.T) *fakeAccount {
	f := &fakeAccount{t: t, tickets: map[int64]map[string]any{}, comments: map[int64][]map[string]any{}, idempotency: map[string]idempotent{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/tickets.json", f.listTickets)
	mux.HandleFunc("POST /api/v2/tickets.json", f.createTicket)
	mux.HandleFunc("GET /api/v2/tickets/{file}", f.showTicket)
	mux.HandleFunc("PUT /api/v2/tickets/{file}", f.updateTicket)
	mux.HandleFunc("GET /api/v2/tickets/{id}/comments.json", f.listComments)
	mux.HandleFunc("GET /api/v2/groups.json", f.listGroups)
	mux.HandleFunc("GET /api/v2/users/search.json", f.searchUsers)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(agentEmail+"/token:"+apiToken))
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		fault := f.fault
		f.mu.Unlock()
		if fault != nil && fault(w, r) {
			return
		}
		if a := r.Header.Get("Authorization"); a != basic && a != "Bearer "+oauthToken {
			f.write(w, 401, testdata(t, "error_unauthorized.json"))
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAccount) config() Config {
	c := DefaultConfig()
	c.URL = f.srv.URL
	c.Email = agentEmail
	c.APIToken = apiToken
	c.IntentFieldID = 360012345671
	c.ConfidenceFieldID = 360012345672
	c.CategoryFieldID = 360012345673
	c.CustomerFieldID = 360012345674
	c.Attempts = 3
	return c
}

func (f *fakeAccount) setFault(fault func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fakeAccount) write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func (f *fakeAccount) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Error(err)
	}
	f.write(w, status, b)
}

// render turns a stored ticket into the shape of testdata/ticket.json's ticket.
func (f *fakeAccount) render(stored map[string]any) map[string]any {
	var env struct{ Ticket map[string]any }
	json.Unmarshal(testdata(f.t, "ticket.json"), &env)
	t := env.Ticket
	for _, k := range []string{"assignee_id", "group_id", "external_id", "priority"} {
		t[k] = nil
	}
	t["custom_fields"], t["fields"] = []any{}, []any{}
	maps.Copy(t, stored)
	t["url"] = fmt.Sprintf("%s/api/v2/tickets/%v.json", f.srv.URL, stored["id"])
	t["fields"] = t["custom_fields"]
	return t
}

func (f *fakeAccount) listTickets(w http.ResponseWriter, r *http.Request) {
	ext := r.URL.Query().Get("external_id")
	f.mu.Lock()
	var found []map[string]any
	for _, t := range f.tickets {
		if t["external_id"] == ext {
			found = append(found, f.render(t))
		}
	}
	f.mu.Unlock()
	f.writeJSON(w, 200, map[string]any{"tickets": found, "next_page": nil, "previous_page": nil, "count": len(found)})
}

func (f *fakeAccount) createTicket(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct{ Ticket map[string]any }
	if err := json.Unmarshal(body, &req); err != nil || req.Ticket == nil {
		f.write(w, 400, []byte(`{"error":"InvalidJSON","description":"The request body is not valid JSON"}`))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	sum := sha256.Sum256(body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if prev, ok := f.idempotency[key]; key != "" && ok {
		if prev.sum != sum {
			f.write(w, 400, testdata(f.t, "error_idempotency.json"))
			return
		}
		f.replays++
		w.Header().Set("X-Idempotency-Lookup", "hit")
		f.write(w, 201, prev.body)
		return
	}
	comment, _ := req.Ticket["comment"].(map[string]any)
	if comment == nil || comment["body"] == "" {
		f.write(w, 422, []byte(`{"error":"RecordInvalid","description":"Record validation errors","details":{"base":[{"description":"Description: cannot be blank","error":"BlankValue"}]}}`))
		return
	}
	id := int64(35436 + len(f.tickets))
	t := map[string]any{"id": id, "status": "new", "created_at": "2026-11-21T18:00:00Z", "updated_at": "2026-11-21T18:00:00Z",
		"subject": req.Ticket["subject"], "description": comment["body"], "external_id": req.Ticket["external_id"],
		"tags": req.Ticket["tags"], "custom_fields": req.Ticket["custom_fields"]}
	if t["custom_fields"] == nil {
		t["custom_fields"] = []any{}
	}
	f.tickets[id] = t
	f.comments[id] = append(f.comments[id], map[string]any{"id": 1000 + id, "type": "Comment", "body": comment["body"], "public": true})
	out, _ := json.Marshal(map[string]any{"ticket": f.render(t), "audit": map[string]any{"id": 432566, "ticket_id": id}})
	if key != "" {
		w.Header().Set("X-Idempotency-Lookup", "miss")
		f.idempotency[key] = idempotent{sum: sum, body: out}
	}
	f.write(w, 201, out)
}

// ticketFromPath reads the id of /api/v2/tickets/{id}.json.
func (f *fakeAccount) ticketFromPath(w http.ResponseWriter, r *http.Request) (map[string]any, int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("file"), ".json"), 10, 64)
	t, ok := f.tickets[id]
	if err != nil || !ok {
		f.write(w, 404, testdata(f.t, "error_not_found.json"))
		return nil, 0, false
	}
	return t, id, true
}

func (f *fakeAccount) showTicket(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, _, ok := f.ticketFromPath(w, r); ok {
		f.writeJSON(w, 200, map[string]any{"ticket": f.render(t)})
	}
}

func (f *fakeAccount) updateTicket(w http.ResponseWriter, r *http.Request) {
	var req struct{ Ticket map[string]any }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Ticket == nil {
		f.write(w, 400, []byte(`{"error":"InvalidJSON","description":"The request body is not valid JSON"}`))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, id, ok := f.ticketFromPath(w, r)
	if !ok {
		return
	}
	if t["status"] == "closed" {
		f.write(w, 422, testdata(f.t, "error_record_invalid.json"))
		return
	}
	if c, ok := req.Ticket["comment"].(map[string]any); ok {
		c["id"] = 2000 + len(f.comments[id])
		f.comments[id] = append(f.comments[id], c)
		delete(req.Ticket, "comment")
	}
	if cf, ok := req.Ticket["custom_fields"].([]any); ok {
		existing, _ := t["custom_fields"].([]any)
		for _, n := range cf {
			nid := n.(map[string]any)["id"]
			existing = append(existingWithout(existing, nid), n)
		}
		t["custom_fields"] = existing
		delete(req.Ticket, "custom_fields")
	}
	maps.Copy(t, req.Ticket)
	t["updated_at"] = "2026-11-21T18:05:00Z"
	f.writeJSON(w, 200, map[string]any{"ticket": f.render(t), "audit": map[string]any{"id": 432567, "ticket_id": id}})
}

func existingWithout(fields []any, id any) []any {
	var out []any
	for _, f := range fields {
		if f.(map[string]any)["id"] != id {
			out = append(out, f)
		}
	}
	return out
}

func (f *fakeAccount) listComments(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tickets[id]; !ok {
		f.write(w, 404, testdata(f.t, "error_not_found.json"))
		return
	}
	var env map[string]any
	json.Unmarshal(testdata(f.t, "comments.json"), &env)
	list := f.comments[id]
	env["comments"], env["count"] = list, len(list)
	f.writeJSON(w, 200, env)
}

func (f *fakeAccount) listGroups(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.groupLists++
	f.mu.Unlock()
	f.write(w, 200, testdata(f.t, "groups.json"))
}

func (f *fakeAccount) searchUsers(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.userSearch++
	f.mu.Unlock()
	if r.URL.Query().Get("query") != "joao.santos@acme.example" {
		f.write(w, 200, []byte(`{"users":[],"next_page":null,"previous_page":null,"count":0}`))
		return
	}
	f.write(w, 200, testdata(f.t, "users_search.json"))
}
