package inapp

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/auth"
)

// Bad requests are refused with the right status and a JSON error that follows the schema,
// and the server keeps serving.
func TestBadRequests(t *testing.T) {
	h := newHarness(t, harnessOptions{token: "app-backend-token"})
	id, _ := h.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	flow := "/v1/inapp/flows/" + id
	for _, tc := range []struct {
		name, method, path, body, bearer string
		status                           int
		code, field                      string
	}{
		{"no token", "POST", "/v1/inapp/flows", `{"intent":"change_address"}`, "-", 401, "unauthorized", ""},
		{"wrong token", "GET", flow, "", "not-the-token", 401, "unauthorized", ""},
		{"malformed JSON", "POST", "/v1/inapp/flows", `{"intent":`, "", 400, "bad_request", ""},
		{"empty body", "POST", flow + "/input", ``, "", 400, "bad_request", ""},
		{"unknown field", "POST", "/v1/inapp/flows", `{"intent":"change_address","colour":"red"}`, "", 400, "bad_request", ""},
		{"wrong type", "POST", "/v1/inapp/flows", `{"intent":42}`, "", 400, "bad_request", ""},
		{"trailing data", "POST", flow + "/input", `{"data":{}} {}`, "", 400, "bad_request", ""},
		{"intent and text", "POST", "/v1/inapp/flows", `{"intent":"change_address","text":"hi"}`, "", 400, "bad_request", ""},
		{"neither intent nor text", "POST", "/v1/inapp/flows", `{"locale":"en"}`, "", 400, "bad_request", ""},
		{"unknown intent", "POST", "/v1/inapp/flows", `{"intent":"buy_a_boat"}`, "", 404, CodeUnknownFlow, ""},
		{"unknown flow", "GET", "/v1/inapp/flows/0123456789abcdef01234567", "", "", 404, CodeUnknownFlow, ""},
		{"unknown flow input", "POST", "/v1/inapp/flows/0123456789abcdef01234567/input", `{"data":{"choice":"yes"}}`, "", 404, CodeUnknownFlow, ""},
		{"unknown flow back", "POST", "/v1/inapp/flows/0123456789abcdef01234567/back", ``, "", 404, CodeUnknownFlow, ""},
		{"id with odd characters", "GET", "/v1/inapp/flows/conv:x", "", "", 404, CodeUnknownFlow, ""},
		{"path out of the flows", "GET", "/v1/inapp/flows/..%2F..%2Fadmin", "", "", 404, "not_found", ""},
		{"unknown action", "POST", flow + "/jump", `{}`, "", 404, "not_found", ""},
		{"data is not an object", "POST", flow + "/input", `{"data":["yes"]}`, "", 400, "bad_request", ""},
		{"input of another screen", "POST", flow + "/input", `{"data":{"street":"x"}}`, "", 400, CodeInvalidInput, "street"},
		{"value of a wrong type", "POST", flow + "/input", `{"data":{"choice":{"value":"yes"}}}`, "", 400, CodeInvalidInput, "choice"},
		{"no such choice", "POST", flow + "/input", `{"data":{"choice":"maybe"}}`, "", 400, CodeInvalidInput, "choice"},
		{"stale screen", "POST", flow + "/input", `{"screen_id":"collect","data":{"street":"x"}}`, "", 409, CodeStaleScreen, ""},
		{"back at the first screen", "POST", flow + "/back", ``, "", 409, CodeCannotGoBack, ""},
		{"oversized body", "POST", flow + "/input", `{"data":{"choice":"` + strings.Repeat("y", DefaultMaxBodyBytes) + `"}}`, "", 413, "body_too_large", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r reply
			switch tc.bearer {
			case "-":
				r = h.do(tc.method, tc.path, tc.body, "")
			case "":
				r = h.do(tc.method, tc.path, tc.body)
			default:
				r = h.do(tc.method, tc.path, tc.body, tc.bearer)
			}
			if r.status != tc.status || r.code() != tc.code {
				t.Fatalf("status %d code %q, want %d %q: %v", r.status, r.code(), tc.status, tc.code, r.body)
			}
			if tc.field != "" && r.fieldError(tc.field) == "" {
				t.Fatalf("no error for the input %s: %v", tc.field, r.body)
			}
		})
	}
	// Still serving, and the flow is where it was.
	if r := h.do("GET", flow, ""); r.status != 200 || r.screen()["id"] != "confirm" {
		t.Fatalf("after the bad requests: %d %v", r.status, r.body)
	}
}

// Customers with a portal token see their own flows only; tokens for another audience,
// tampered ones and expired ones are refused.
func TestPortalTokens(t *testing.T) {
	key := []byte("portal-secret-of-at-least-32-bytes!")
	verifier := &auth.JWT{Issuer: "https://portal.example", Audience: "frontdesk", HMACKeys: [][]byte{key}}
	h := newHarness(t, harnessOptions{jwt: verifier})
	sign := func(sub, aud string, exp time.Duration) string {
		tok, err := auth.SignJWT(map[string]any{"sub": sub, "iss": "https://portal.example", "aud": aud,
			"exp": time.Now().Add(exp).Unix(), "customer_id": "C-1001"}, key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	alice := sign("alice", "frontdesk", time.Hour)
	r := h.do("POST", "/v1/inapp/flows", `{"intent":"change_address"}`, alice)
	want(t, r, 201, "confirm")
	flow := "/v1/inapp/flows/" + r.body["flow_id"].(string)
	if r := h.do("GET", flow, "", alice); r.status != 200 {
		t.Fatalf("the owner: %d %v", r.status, r.body)
	}
	// The customer id came from the token: the back office knew the customer.
	if r := h.do("POST", flow+"/input", `{"data":{"choice":"yes"}}`, alice); r.status != 200 || r.screen()["id"] != "collect" {
		t.Fatalf("the owner's input: %d %v", r.status, r.body)
	}
	for _, tc := range []struct {
		name, method, path, body, token string
		status                          int
	}{
		{"another customer", "GET", flow, "", sign("bob", "frontdesk", time.Hour), 404},
		{"another customer's input", "POST", flow + "/input", `{"data":{}}`, sign("bob", "frontdesk", time.Hour), 404},
		{"another audience", "GET", flow, "", sign("alice", "other-app", time.Hour), 403},
		{"expired", "GET", flow, "", sign("alice", "frontdesk", -time.Hour), 401},
		{"tampered", "GET", flow, "", alice[:len(alice)-4] + "AAAA", 401},
		{"contact in the body", "POST", "/v1/inapp/flows", `{"intent":"change_address","contact":{"customer_id":"C-2"}}`, alice, 400},
	} {
		if r := h.do(tc.method, tc.path, tc.body, tc.token); r.status != tc.status {
			t.Errorf("%s: status %d, want %d: %v", tc.name, r.status, tc.status, r.body)
		}
	}
}

// A flow an app's back end started belongs to no portal user: a customer's token cannot read
// or answer it, nor become its owner by answering.
func TestPortalUserCannotTakeABackendFlow(t *testing.T) {
	key := []byte("portal-secret-of-at-least-32-bytes!")
	verifier := &auth.JWT{Issuer: "https://portal.example", Audience: "frontdesk", HMACKeys: [][]byte{key}}
	h := newHarness(t, harnessOptions{token: "app-backend-token", jwt: verifier})
	id, _ := h.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	mallory, err := auth.SignJWT(map[string]any{"sub": "mallory", "iss": "https://portal.example", "aud": "frontdesk",
		"exp": time.Now().Add(time.Hour).Unix()}, key)
	if err != nil {
		t.Fatal(err)
	}
	flow := "/v1/inapp/flows/" + id
	for i := 0; i < 2; i++ {
		if r := h.do("POST", flow+"/input", `{"data":{"choice":"yes"}}`, mallory); r.status != 404 {
			t.Fatalf("answer %d by another customer: %d %v", i, r.status, r.body)
		}
	}
	if r := h.do("GET", flow, "", mallory); r.status != 404 {
		t.Fatalf("read by another customer: %d %v", r.status, r.body)
	}
	if r := h.do("GET", flow, ""); r.status != 200 || r.screen()["id"] != "confirm" {
		t.Fatalf("the back end's flow moved: %d %v", r.status, r.body)
	}
}
