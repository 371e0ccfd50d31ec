package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/connectors/local"
)

// inappCall posts to the in-app API of a gateway and returns the status and screen.
func inappCall(t *testing.T, base, path, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: status %d, body not JSON: %v", path, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

// The change-of-address flow through the in-app API of a real gateway, with the local
// plugin as CRM, back office and SMS: the code is read from the local SMS outbox; going back
// from the code screen and forward again sends a second code; at the end the case is assigned
// for approval with the decision log, the back office holds one pending change request, and
// the rating is taken.
func TestChangeOfAddressInapp(t *testing.T) {
	base, db := startGateway(t)
	status, out := inappCall(t, base, "/v1/inapp/flows", `{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	if status != 201 {
		t.Fatalf("start: %d %v", status, out)
	}
	id := out["flow_id"].(string)
	flow := "/v1/inapp/flows/" + id
	step := func(path, body string, wantStatus int, wantScreen string) map[string]any {
		t.Helper()
		status, out := inappCall(t, base, path, body)
		screen, _ := out["screen"].(map[string]any)
		if status != wantStatus || screen["id"] != wantScreen {
			t.Fatalf("%s %s: status %d screen %v, want %d %s: %v", path, body, status, screen["id"], wantStatus, wantScreen, out)
		}
		return out
	}
	step(flow+"/input", `{"screen_id":"confirm","data":{"choice":"yes"}}`, 200, "collect")
	step(flow+"/input", `{"screen_id":"collect","data":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`, 200, "verify")
	step(flow+"/back", ``, 200, "collect")
	step(flow+"/input", `{"screen_id":"collect","data":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`, 200, "verify")

	store, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	outbox, err := store.Outbox(ctx, 10)
	if err != nil || len(outbox) != 2 || outbox[0].To != "+447700900101" {
		t.Fatalf("want two codes sent, the second after going back: %+v %v", outbox, err)
	}
	code := regexp.MustCompile(`\d{6}`).FindString(outbox[0].Body)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	out = step(flow+"/input", `{"screen_id":"verify","data":{"code":"`+wrong+`"}}`, 400, "verify")
	if fe, _ := out["field_errors"].(map[string]any); fe["code"] == nil {
		t.Fatalf("a wrong code: %v", out)
	}
	step(flow+"/input", `{"screen_id":"verify","data":{"code":"`+code+`"}}`, 200, "rating")
	step(flow+"/input", `{"screen_id":"rating","data":{"score":5}}`, 200, "end")

	cases, _ := store.Cases(ctx, 10)
	if len(cases) != 1 || cases[0].Queue != "data-change-approvals" || cases[0].Intent != "change_address" {
		t.Fatalf("cases %+v", cases)
	}
	changes, _ := store.Changes(ctx, 10)
	if len(changes) != 1 || changes[0].Status != "pending" || changes[0].Fields["postcode"] != "10119" {
		t.Fatalf("changes %+v", changes)
	}
	notes, _ := store.Notes(ctx, cases[0].ID)
	var log strings.Builder
	for _, n := range notes {
		log.WriteString(n.Body + "\n")
	}
	for _, want := range []string{"inapp", "intent change_address", "went back from verify to collect", "action otp.verify at verify done",
		"action backoffice.SubmitChangeRequest at submit done", "action crm.AssignCase at approval done", "ended: submitted_for_approval"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("decision log lacks %q:\n%s", want, log.String())
		}
	}
}
