package salesforce

import (
	"crypto"
	"crypto/rsa"
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
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeOrg is a Salesforce org on loopback: the OAuth token endpoint and the REST resources the
// connector uses, answering in the wire format of the payloads under testdata/.
type fakeOrg struct {
	t   testing.TB
	srv *httptest.Server

	// jwtKey, when set, makes the token endpoint accept only JWT-bearer assertions it signed.
	jwtKey *rsa.PublicKey

	mu       sync.Mutex
	token    string // the one valid access token
	issued   int    // tokens issued
	cases    map[string]map[string]any
	comments []map[string]any
	tasks    []map[string]any
	queries  []string
	requests int
	// fault, when set, may answer a request in place of the org (return true when it did).
	fault func(w http.ResponseWriter, r *http.Request) bool
}

const (
	clientID     = "3MVG9example.consumer.key"
	clientSecret = "example-consumer-secret"
)

func newFakeOrg(t testing.TB) *fakeOrg {
	f := &fakeOrg{t: t, cases: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", f.handleToken)
	api := "/services/data/v61.0"
	mux.HandleFunc("GET "+api+"/sobjects/Case/{id}", f.authed(f.getCase))
	mux.HandleFunc("PATCH "+api+"/sobjects/Case/{id}", f.authed(f.patchCase))
	mux.HandleFunc("GET "+api+"/sobjects/Case/{field}/{value}", f.authed(f.getCaseByExtID))
	mux.HandleFunc("PATCH "+api+"/sobjects/Case/{field}/{value}", f.authed(f.upsertCase))
	mux.HandleFunc("POST "+api+"/sobjects/{object}", f.authed(f.createNote))
	mux.HandleFunc("GET "+api+"/query", f.authed(f.query))
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		fault := f.fault
		f.mu.Unlock()
		if fault != nil && fault(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// config is a connector configuration pointing at the fake.
func (f *fakeOrg) config() Config {
	c := DefaultConfig()
	c.InstanceURL = f.srv.URL
	c.Auth.ClientID = clientID
	c.Auth.ClientSecret = clientSecret
	c.ConfidenceField = "Frontdesk_Confidence__c"
	c.CustomerField = "Frontdesk_Customer_Id__c"
	c.Attempts = 3
	return c
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fakeOrg) write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(body)
}

func (f *fakeOrg) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Error(err)
	}
	f.write(w, status, b)
}

// expireToken makes the current access token invalid, as a session timeout does.
func (f *fakeOrg) expireToken() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = "expired"
}

func (f *fakeOrg) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		f.write(w, 400, []byte(`{"error":"invalid_request","error_description":"bad form"}`))
		return
	}
	switch r.Form.Get("grant_type") {
	case "client_credentials":
		if r.Form.Get("client_id") != clientID || r.Form.Get("client_secret") != clientSecret {
			f.write(w, 400, testdata(f.t, "token_error.json"))
			return
		}
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		if err := f.checkAssertion(r.Form.Get("assertion")); err != nil {
			f.write(w, 400, []byte(fmt.Sprintf(`{"error":"invalid_grant","error_description":%q}`, err.Error())))
			return
		}
	default:
		f.write(w, 400, []byte(`{"error":"unsupported_grant_type","error_description":"grant type not supported"}`))
		return
	}
	f.mu.Lock()
	f.issued++
	f.token = fmt.Sprintf("00D5e000000HxYz!token-%d", f.issued)
	tok := f.token
	f.mu.Unlock()
	var body map[string]any
	json.Unmarshal(testdata(f.t, "token_client_credentials.json"), &body)
	body["access_token"] = tok
	body["instance_url"] = f.srv.URL
	f.writeJSON(w, 200, body)
}

// checkAssertion verifies a JWT-bearer assertion as Salesforce does: RS256 over header.claims
// with the connected app's certificate, and the claims it requires.
func (f *fakeOrg) checkAssertion(a string) error {
	parts := strings.Split(a, ".")
	if len(parts) != 3 || f.jwtKey == nil {
		return fmt.Errorf("malformed assertion")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(f.jwtKey, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("invalid assertion signature")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iss, Sub, Aud string
		Exp           int64
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return err
	}
	if claims.Iss != clientID || claims.Sub != "integration@acme.example" || claims.Aud != "https://login.salesforce.com" || claims.Exp == 0 {
		return fmt.Errorf("user hasn't approved this consumer")
	}
	return nil
}

func (f *fakeOrg) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		ok := f.token != "" && r.Header.Get("Authorization") == "Bearer "+f.token
		f.mu.Unlock()
		if !ok {
			w.Header().Set("WWW-Authenticate", `Token`)
			f.write(w, 401, testdata(f.t, "error_invalid_session.json"))
			return
		}
		h(w, r)
	}
}

// caseJSON renders a stored case in the shape of testdata/case.json.
func (f *fakeOrg) caseJSON(fields map[string]any) map[string]any {
	var rec map[string]any
	json.Unmarshal(testdata(f.t, "case.json"), &rec)
	for _, k := range []string{"Frontdesk_Intent__c", "Frontdesk_Confidence__c", "Frontdesk_Customer_Id__c", "SuppliedEmail", "SuppliedPhone", "Type", "Origin", "Description"} {
		rec[k] = nil
	}
	maps.Copy(rec, fields)
	rec["attributes"] = map[string]any{"type": "Case", "url": "/services/data/v61.0/sobjects/Case/" + fields["Id"].(string)}
	return rec
}

func (f *fakeOrg) getCase(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	c, ok := f.cases[r.PathValue("id")]
	var rec map[string]any
	if ok {
		rec = f.caseJSON(c)
	}
	f.mu.Unlock()
	if !ok {
		f.write(w, 404, testdata(f.t, "error_not_found.json"))
		return
	}
	f.writeJSON(w, 200, rec)
}

func (f *fakeOrg) patchCase(w http.ResponseWriter, r *http.Request) {
	var fields map[string]any
	if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
		f.write(w, 400, []byte(`[{"message":"Unexpected character","errorCode":"JSON_PARSER_ERROR"}]`))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cases[r.PathValue("id")]
	if !ok {
		f.write(w, 404, testdata(f.t, "error_not_found.json"))
		return
	}
	if owner, ok := fields["OwnerId"].(string); ok && !strings.HasPrefix(owner, "00G") && !strings.HasPrefix(owner, "005") {
		f.write(w, 400, []byte(`[{"message":"Owner ID: id value of incorrect type: `+owner+`","errorCode":"FIELD_INTEGRITY_EXCEPTION","fields":["OwnerId"]}]`))
		return
	}
	maps.Copy(c, fields)
	c["LastModifiedDate"] = "2026-11-21T18:05:00.000+0000"
	w.WriteHeader(http.StatusNoContent)
}

func (f *fakeOrg) findByExtID(field, value string) (map[string]any, bool) {
	for _, c := range f.cases {
		if c[field] == value {
			return c, true
		}
	}
	return nil, false
}

func (f *fakeOrg) getCaseByExtID(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	c, ok := f.findByExtID(r.PathValue("field"), r.PathValue("value"))
	var rec map[string]any
	if ok {
		rec = f.caseJSON(c)
	}
	f.mu.Unlock()
	if !ok {
		f.write(w, 404, testdata(f.t, "error_not_found.json"))
		return
	}
	f.writeJSON(w, 200, rec)
}

// upsertCase creates the case unless one has the external id, atomically, as Salesforce does.
func (f *fakeOrg) upsertCase(w http.ResponseWriter, r *http.Request) {
	var fields map[string]any
	if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
		f.write(w, 400, []byte(`[{"message":"Unexpected character","errorCode":"JSON_PARSER_ERROR"}]`))
		return
	}
	if fields["Subject"] == "" {
		f.write(w, 400, testdata(f.t, "error_required_field.json"))
		return
	}
	field, value := r.PathValue("field"), r.PathValue("value")
	f.mu.Lock()
	defer f.mu.Unlock()
	c, found := f.findByExtID(field, value)
	status := 200
	if !found {
		status = 201
		id := fmt.Sprintf("5005e00000Zx%03dAAF", len(f.cases)+1)
		c = map[string]any{"Id": id, "CaseNumber": fmt.Sprintf("%08d", 1000+len(f.cases)), "Status": "New",
			"OwnerId": "0055e000003AbCdAAK", field: value,
			"CreatedDate": "2026-11-21T18:00:00.000+0000", "LastModifiedDate": "2026-11-21T18:00:00.000+0000"}
		f.cases[id] = c
	}
	maps.Copy(c, fields)
	var res map[string]any
	json.Unmarshal(testdata(f.t, "upsert_created.json"), &res)
	res["id"], res["created"] = c["Id"], !found
	f.writeJSON(w, status, res)
}

func (f *fakeOrg) createNote(w http.ResponseWriter, r *http.Request) {
	var rec map[string]any
	if err := json.NewDecoder(r.Body).Decode(&rec); err != nil {
		f.write(w, 400, []byte(`[{"message":"Unexpected character","errorCode":"JSON_PARSER_ERROR"}]`))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	parent, _ := rec["ParentId"].(string)
	if parent == "" {
		parent, _ = rec["WhatId"].(string)
	}
	if _, ok := f.cases[parent]; !ok {
		f.write(w, 400, testdata(f.t, "error_invalid_cross_reference.json"))
		return
	}
	switch r.PathValue("object") {
	case "CaseComment":
		rec["Id"] = fmt.Sprintf("00a5e00000Bc%03dAAR", len(f.comments)+1)
		f.comments = append(f.comments, rec)
	case "Task":
		rec["Id"] = fmt.Sprintf("00T5e00000Bc%03dAAR", len(f.tasks)+1)
		f.tasks = append(f.tasks, rec)
	default:
		f.write(w, 404, []byte(`[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`))
		return
	}
	var res map[string]any
	json.Unmarshal(testdata(f.t, "comment_created.json"), &res)
	res["id"] = rec["Id"]
	f.writeJSON(w, 201, res)
}

var (
	reQueue    = regexp.MustCompile(`^SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = '([^']*)' LIMIT 1$`)
	reUser     = regexp.MustCompile(`^SELECT Id FROM User WHERE Username = '([^']*)' AND IsActive = true LIMIT 1$`)
	reQueueID  = regexp.MustCompile(`^SELECT DeveloperName FROM Group WHERE Id = '(\w+)'$`)
	reComments = regexp.MustCompile(`^SELECT Id, CommentBody FROM CaseComment WHERE ParentId = '(\w+)'$`)
	reTasks    = regexp.MustCompile(`^SELECT Id, Description FROM Task WHERE WhatId = '(\w+)'$`)
)

// query answers the few SOQL statements the connector sends; anything else is a
// MALFORMED_QUERY, so a change in the connector's SOQL shows up as a failing test.
func (f *fakeOrg) query(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	var records []map[string]any
	attrs := func(typ, id string) map[string]any {
		return map[string]any{"type": typ, "url": "/services/data/v61.0/sobjects/" + typ + "/" + id}
	}
	switch {
	case reQueue.MatchString(q):
		if name := reQueue.FindStringSubmatch(q)[1]; name == "Data_Change_Approvals" {
			records = append(records, map[string]any{"attributes": attrs("Group", "00G5e000004QueAEAS"), "Id": "00G5e000004QueAEAS"})
		}
	case reQueueID.MatchString(q):
		if id := reQueueID.FindStringSubmatch(q)[1]; id == "00G5e000004QueAEAS" {
			records = append(records, map[string]any{"attributes": attrs("Group", id), "DeveloperName": "Data_Change_Approvals"})
		}
	case reUser.MatchString(q):
		if name := reUser.FindStringSubmatch(q)[1]; name == "joao.santos@acme.example" {
			records = append(records, map[string]any{"attributes": attrs("User", "0055e000009XyZaAAC"), "Id": "0055e000009XyZaAAC"})
		}
	case reComments.MatchString(q):
		parent := reComments.FindStringSubmatch(q)[1]
		for _, c := range f.comments {
			if c["ParentId"] == parent {
				records = append(records, map[string]any{"attributes": attrs("CaseComment", c["Id"].(string)), "Id": c["Id"], "CommentBody": c["CommentBody"]})
			}
		}
	case reTasks.MatchString(q):
		what := reTasks.FindStringSubmatch(q)[1]
		for _, c := range f.tasks {
			if c["WhatId"] == what {
				records = append(records, map[string]any{"attributes": attrs("Task", c["Id"].(string)), "Id": c["Id"], "Description": c["Description"]})
			}
		}
	default:
		f.write(w, 400, []byte(`[{"message":"unexpected token: `+strings.ReplaceAll(q, `"`, `'`)+`","errorCode":"MALFORMED_QUERY"}]`))
		return
	}
	f.writeJSON(w, 200, map[string]any{"totalSize": len(records), "done": true, "records": records})
}

// count returns a counter under the lock.
func (f *fakeOrg) count(get func() int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return get()
}

// drain reads and discards a request body, so a fault handler leaves the connection reusable.
func drain(r *http.Request) { io.Copy(io.Discard, r.Body) }
