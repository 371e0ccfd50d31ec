package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
	"github.com/frontdeskhq/frontdesk/channels/webchat/webchattest"
	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/internal/browsertest"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Secrets of the web chat tests' gateway, configured and used to sign.
const (
	testValetKey  = "valet-key-for-tests-0123456789abcdef"
	testPortalKey = "portal-secret-for-tests-0123456789abcdef"
)

// startChatGateway serves the example gateway with known valet and portal keys.
func startChatGateway(t *testing.T) (base, db string) {
	state := fmt.Sprintf(`store: { path: %s }
valet: { keys: [%q] }
webchat:
  jwt: { issuer: "https://portal.example", audience: frontdesk, hmac_keys: [%q] }
`, filepath.Join(t.TempDir(), "frontdesk.db"), testValetKey, testPortalKey)
	return startGateway(t, state)
}

// chatLink opens a case in the local CRM the way the email channel does and returns the
// chat link an email reply would carry.
func chatLink(t *testing.T, base, db string) string {
	st, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.EnsureCase(context.Background(), plugin.CaseRequest{ExternalID: "email:<m1@example.com>",
		Subject: "Change of address", Channel: "email", ContactEmail: "ada@example.com", CustomerID: "C-1001"})
	if err != nil {
		t.Fatal(err)
	}
	v := &auth.Valet{Keys: [][]byte{[]byte(testValetKey)}}
	key, err := v.Issue(auth.Scope{CaseID: c.ID, Intent: "change_address", Policy: "change-address", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return base + webchat.PagePath + "?key=" + url.QueryEscape(key)
}

// smsCode reads the newest one-time code from the local SMS outbox ("" when none).
func smsCode(db string) string {
	st, err := local.Open(db)
	if err != nil {
		return ""
	}
	defer st.Close()
	out, err := st.Outbox(context.Background(), 1)
	if err != nil || len(out) == 0 {
		return ""
	}
	return webchattest.CodeIn(out[0].Body)
}

// checkSubmittedForApproval checks what the change-of-address flow leaves in the local
// stack: the case in the approvals queue with the decision log, one pending change request,
// and the customer's address untouched.
func checkSubmittedForApproval(t *testing.T, db string) {
	st, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cases, _ := st.Cases(ctx, 10)
	if len(cases) != 1 || cases[0].Queue != "data-change-approvals" {
		t.Fatalf("cases %+v, want one in data-change-approvals", cases)
	}
	changes, _ := st.Changes(ctx, 10)
	if len(changes) != 1 || changes[0].Status != "pending" || changes[0].Fields["postcode"] != webchattest.Answers["postcode"] {
		t.Fatalf("change requests %+v, want one pending", changes)
	}
	if cust, _ := st.GetCustomer(ctx, "C-1001"); cust.Address.Postcode == webchattest.Answers["postcode"] {
		t.Fatal("the address was changed without approval")
	}
	notes, _ := st.Notes(ctx, cases[0].ID)
	var all []string
	for _, n := range notes {
		all = append(all, n.Body)
	}
	log := strings.Join(all, "\n")
	for _, want := range []string{"intent change_address", "action otp.verify at verify done", "ended: submitted_for_approval"} {
		if !strings.Contains(log, want) {
			t.Errorf("decision log lacks %q:\n%s", want, log)
		}
	}
}

// The change-of-address flow over the chat socket, opened from an emailed link, on the real
// router with the real local plugin; the link works once.
func TestWebchatChangeAddressFromLink(t *testing.T) {
	base, db := startChatGateway(t)
	link := chatLink(t, base, db)
	c := webchattest.OpenLink(t, link)
	webchattest.ChangeAddress(c, func() string { return smsCode(db) })
	checkSubmittedForApproval(t, db)

	again := webchattest.Dial(t, base, nil)
	key, _ := url.Parse(link)
	again.Send(webchat.ClientFrame{Type: webchat.TypeHello, Key: key.Query().Get("key")})
	if e := again.Error(); e.Code != "link_used" || e.Status != http.StatusForbidden {
		t.Fatalf("a used link: %+v, want link_used 403", e)
	}
}

// A logged-in portal customer starts without a case: the first words create it in the CRM.
func TestWebchatPortalChatCreatesCase(t *testing.T) {
	base, db := startChatGateway(t)
	token, err := auth.SignJWT(map[string]any{"iss": "https://portal.example", "aud": "frontdesk", "sub": "portal-7",
		"customer_id": "C-1001", "email": "ada@example.com", "exp": 4102444800}, []byte(testPortalKey))
	if err != nil {
		t.Fatal(err)
	}
	c := webchattest.Dial(t, base, http.Header{"Authorization": {"Bearer " + token}})
	c.Send(webchat.ClientFrame{Type: webchat.TypeHello})
	c.Welcome()
	c.Send(webchat.ClientFrame{Type: webchat.TypeText, ID: "t1", Text: "I moved, please change my address"})
	if q := c.Question(); len(q.QuickReplies) == 0 {
		t.Fatalf("first question %+v", q)
	}
	st, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cases, _ := st.Cases(context.Background(), 10)
	if len(cases) != 1 || cases[0].Intent != "change_address" || cases[0].CustomerID != "C-1001" {
		t.Fatalf("cases %+v, want one created for the portal chat", cases)
	}
}

// The same flow in headless Chromium driving the real widget; the screenshots are kept in
// build/artifacts.
func TestWebchatChangeAddressInBrowser(t *testing.T) {
	browsertest.Require(t)
	base, db := startChatGateway(t)
	codes := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, smsCode(db))
	}))
	defer codes.Close()
	browsertest.Run(t, "testdata/webchat_flow.mjs", map[string]string{
		"BASE_URL": base, "CHAT_LINK": chatLink(t, base, db), "CODE_URL": codes.URL,
	})
	checkSubmittedForApproval(t, db)
}
