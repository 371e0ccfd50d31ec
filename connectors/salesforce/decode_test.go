package salesforce

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func fullConfig() Config {
	c := DefaultConfig()
	c.ConfidenceField = "Frontdesk_Confidence__c"
	c.CustomerField = "Frontdesk_Customer_Id__c"
	return c
}

func TestDecodeCaseGolden(t *testing.T) {
	got, err := decodeCase(testdata(t, "case.json"), fullConfig(), "https://acme.my.salesforce.com")
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.Case{
		ID:         "5005e00000ZxQ1aAAF",
		ExternalID: "support@acme.example/<CAF=8xk2@mail.example.com>",
		Subject:    "Please change my postal address",
		Status:     "Working",
		Intent:     "change_address",
		Confidence: 0.93,
		Category:   "Account Change",
		Queue:      "00G5e000004QueAEAS",
		CustomerID: "C-1001",
		URL:        "https://acme.my.salesforce.com/lightning/r/Case/5005e00000ZxQ1aAAF/view",
		Created:    time.Date(2026, 11, 21, 17, 58, 3, 0, time.UTC),
		Updated:    time.Date(2026, 11, 21, 18, 2, 41, 0, time.UTC),
	}
	if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		t.Fatalf("times = %v, %v", got.Created, got.Updated)
	}
	got.Created, got.Updated = want.Created, want.Updated
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeErrorsGolden(t *testing.T) {
	for file, want := range map[string]string{
		"error_invalid_session.json":    "salesforce: op: HTTP 401 INVALID_SESSION_ID: Session expired or invalid",
		"error_required_field.json":     "salesforce: op: HTTP 400 REQUIRED_FIELD_MISSING: Required fields are missing: [Subject] (fields Subject)",
		"error_not_found.json":          "salesforce: op: HTTP 404 NOT_FOUND: The requested resource does not exist",
		"error_server_unavailable.json": "salesforce: op: HTTP 503 after 4 attempts SERVER_UNAVAILABLE: Server temporarily unavailable",
	} {
		status := map[string]int{"error_invalid_session.json": 401, "error_required_field.json": 400, "error_not_found.json": 404, "error_server_unavailable.json": 503}[file]
		attempts := 1
		if status == 503 {
			attempts = 4
		}
		err := newAPIError("op", &retry.Response{Status: status, Body: testdata(t, file), Attempts: attempts})
		if err.Error() != want {
			t.Errorf("%s: %q, want %q", file, err, want)
		}
	}
}

func TestDecodeTokenGolden(t *testing.T) {
	tok, err := decodeToken(&retry.Response{Status: 200, Body: testdata(t, "token_client_credentials.json")})
	if err != nil {
		t.Fatal(err)
	}
	if tok.InstanceURL != "https://acme.my.salesforce.com" || !strings.HasPrefix(tok.AccessToken, "00D5e000000HxYz!") || tok.TokenType != "Bearer" {
		t.Fatalf("token = %+v", tok)
	}
	_, err = decodeToken(&retry.Response{Status: 400, Body: testdata(t, "token_error.json")})
	if err == nil || err.Error() != "salesforce: sign-in: HTTP 400: invalid_client: invalid client credentials" {
		t.Fatalf("err = %v", err)
	}
	for _, body := range []string{`{"instance_url":"x"}`, `not json`, ``} {
		if _, err := decodeToken(&retry.Response{Status: 200, Body: []byte(body)}); err == nil {
			t.Errorf("decodeToken(%q) succeeded", body)
		}
	}
}

func FuzzDecodeCase(f *testing.F) {
	f.Add(testdata(f, "case.json"))
	f.Add(testdata(f, "upsert_created.json"))
	f.Add([]byte(`{"Id":"5005e00000ZxQ1aAAF","Frontdesk_Confidence__c":"0.5","OwnerId":7,"CreatedDate":"yesterday"}`))
	f.Add([]byte(`null`))
	cfg := fullConfig()
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := decodeCase(body, cfg, "https://acme.my.salesforce.com")
		if err == nil && c.ID == "" {
			t.Fatal("decoded a case without an id")
		}
	})
}

func FuzzDecodeErrors(f *testing.F) {
	for _, name := range []string{"error_invalid_session.json", "error_required_field.json", "error_not_found.json", "token_error.json", "query_queue.json"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte(`<html>502</html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		err := newAPIError("op", &retry.Response{Status: 400, Body: body, Attempts: 1})
		if len(err.Errors) == 0 || !strings.HasPrefix(err.Error(), "salesforce: op: HTTP 400") {
			t.Fatalf("error = %q", err)
		}
	})
}

func FuzzDecodeToken(f *testing.F) {
	f.Add(testdata(f, "token_client_credentials.json"))
	f.Add(testdata(f, "token_error.json"))
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := decodeToken(&retry.Response{Status: 200, Body: body})
		if err == nil && tok.AccessToken == "" {
			t.Fatal("accepted a token response without a token")
		}
	})
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"Data_Change_Approvals": `'Data_Change_Approvals'`,
		`x' OR Name != '`:       `'x\' OR Name != \''`,
		`back\slash`:            `'back\\slash'`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
