package inapp

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// card returns a screen's card elements by id, and its actions.
func card(t *testing.T, screen map[string]any) (map[string]map[string]any, []map[string]any) {
	t.Helper()
	c, ok := screen["card"].(map[string]any)
	if !ok {
		t.Fatalf("screen without a card: %v", screen)
	}
	inputs := map[string]map[string]any{}
	body, _ := c["body"].([]any)
	for _, e := range body {
		el := e.(map[string]any)
		if id, _ := el["id"].(string); id != "" {
			inputs[id] = el
		}
	}
	var actions []map[string]any
	list, _ := c["actions"].([]any)
	for _, a := range list {
		actions = append(actions, a.(map[string]any))
	}
	return inputs, actions
}

func navigation(screen map[string]any) map[string]any {
	n, _ := screen["navigation"].(map[string]any)
	return n
}

// The change-of-address flow through the in-app API: confirm, form with a rejected field,
// the code screen, back to the form and forward again (a new code), a wrong code, the right
// one, the rating, and the screen on reload at each point.
func TestChangeOfAddressScreens(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	id, s := h.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	if s["id"] != "confirm" || s["kind"] != KindChoice || navigation(s)["back"] != nil {
		t.Fatalf("first screen %v", s)
	}
	_, actions := card(t, s)
	if len(actions) != 2 || actions[0]["data"].(map[string]any)["choice"] != "yes" || actions[0]["title"] != "Yes, change my address" {
		t.Fatalf("choice actions %v", actions)
	}
	if r := h.do("GET", "/v1/inapp/flows/"+id, ""); r.status != 200 || r.screen()["id"] != "confirm" {
		t.Fatalf("GET the screen: %v", r.body)
	}

	r := h.do("POST", "/v1/inapp/flows/"+id+"/input", `{"screen_id":"confirm","data":{"choice":"yes"}}`)
	want(t, r, 200, "collect")
	inputs, _ := card(t, r.screen())
	if inputs["street"]["type"] != TypeText || inputs["street"]["maxLength"] != float64(120) || inputs["postcode"]["regex"] == nil {
		t.Fatalf("form inputs %v", inputs)
	}
	if navigation(r.screen())["back"] != "/v1/inapp/flows/"+id+"/back" {
		t.Fatalf("the form does not offer to go back: %v", navigation(r.screen()))
	}

	r = h.input(id, `{"street":"Torstrasse 1","city":"Berlin","postcode":"??"}`)
	want(t, r, 400, "collect")
	if r.code() != CodeInvalidInput || r.fieldError("postcode") == "" || r.fieldError("street") != "" {
		t.Fatalf("field errors %v", r.body)
	}
	if inputs, _ := card(t, r.screen()); inputs["postcode"]["errorMessage"] == nil {
		t.Fatalf("the card does not mark the postcode: %v", inputs)
	}

	r = h.input(id, `{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}`)
	want(t, r, 200, "verify")
	first := h.lastCode()

	// Back to the form, and forward again: a new code is sent.
	r = h.do("POST", "/v1/inapp/flows/"+id+"/back", "")
	want(t, r, 200, "collect")
	if r.screen()["error"] != nil {
		t.Fatalf("the form shown again carries an old error: %v", r.screen())
	}
	if g := h.do("GET", "/v1/inapp/flows/"+id, ""); g.screen()["id"] != "collect" {
		t.Fatalf("GET after back: %v", g.body)
	}
	r = h.input(id, `{"street":"Invalidenstrasse 2","city":"Berlin","postcode":"10115"}`)
	want(t, r, 200, "verify")
	if len(h.sms) != 2 {
		t.Fatalf("%d codes sent, want a new one after going back", len(h.sms))
	}
	code := h.lastCode()
	if code == first {
		t.Log("the second code equals the first by chance")
	}

	r = h.input(id, `{"code":"`+wrongCode(code)+`"}`)
	want(t, r, 400, "verify")
	if !strings.Contains(r.fieldError("code"), "4 attempts left") {
		t.Fatalf("wrong code: %v", r.body)
	}
	r = h.input(id, `{"code":"`+code+`"}`)
	want(t, r, 200, ScreenRating)
	if s := r.screen(); s["kind"] != KindRating || !strings.Contains(strings.Join(strs(s["messages"]), " "), "waiting for a colleague") {
		t.Fatalf("rating screen %v", s)
	}
	if got := strings.Join(h.actions, ","); got != "backoffice.SubmitChangeRequest,crm.AssignCase" {
		t.Fatalf("actions %s", got)
	}
	if g := h.do("GET", "/v1/inapp/flows/"+id, ""); g.screen()["id"] != ScreenRating {
		t.Fatalf("GET before rating: %v", g.body)
	}

	r = h.do("POST", "/v1/inapp/flows/"+id+"/input", `{"screen_id":"rating","data":{"score":"9"}}`)
	want(t, r, 400, ScreenRating)
	if r.fieldError("score") == "" {
		t.Fatalf("score 9: %v", r.body)
	}
	r = h.input(id, `{"score":4}`)
	want(t, r, 200, ScreenEnd)
	counts, err := h.runs.OutcomeCounts(context.Background(), "change-address", store.RunFilter{})
	if err != nil || len(counts) != 1 || counts[0].CSATRuns != 1 || counts[0].CSATMean != 4 {
		t.Fatalf("CSAT not recorded: %+v %v", counts, err)
	}
	if r := h.input(id, `{"score":5}`); r.status != 409 || r.code() != CodeFinished {
		t.Fatalf("a second rating: %d %v", r.status, r.body)
	}
	if g := h.do("GET", "/v1/inapp/flows/"+id, ""); g.screen()["kind"] != KindEnd {
		t.Fatalf("GET after the end: %v", g.body)
	}
	if r := h.do("POST", "/v1/inapp/flows/"+id+"/back", ""); r.status != 409 || r.code() != CodeCannotGoBack {
		t.Fatalf("back after the end: %d %v", r.status, r.body)
	}
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i], _ = x.(string)
	}
	return out
}

// A flow started by the customer's words is classified.
func TestStartByText(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	_, s := h.start(`{"text":"I moved, please update my address","contact":{"customer_id":"C-1001"}}`)
	if s["id"] != "confirm" {
		t.Fatalf("screen %v", s)
	}
	// Words nobody serves go to a colleague.
	_, s = h.start(`{"text":"what is the weather","contact":{"customer_id":"C-1001"}}`)
	if s["kind"] != KindHandoff || s["handoff"].(map[string]any)["team"] != "general-support" {
		t.Fatalf("screen %v", s)
	}
}

// Five wrong codes end the verification: each is refused with the attempts left, the fifth
// hands the request to a colleague, and any answer after that is refused.
func TestCodeBruteForce(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	id, _ := h.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	h.input(id, `{"choice":"yes"}`)
	want(t, h.input(id, `{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}`), 200, "verify")
	code := h.lastCode()
	for left := 4; left >= 1; left-- {
		r := h.input(id, `{"code":"`+wrongCode(code)+`"}`)
		want(t, r, 400, "verify")
		if !strings.Contains(r.fieldError("code"), " "+string(rune('0'+left))+" attempts left") {
			t.Fatalf("attempt with %d left: %v", left, r.body)
		}
	}
	r := h.input(id, `{"code":"`+wrongCode(code)+`"}`)
	want(t, r, 200, ScreenEnd)
	if r.screen()["kind"] != KindHandoff {
		t.Fatalf("after five wrong codes: %v", r.body)
	}
	if r := h.input(id, `{"code":"`+code+`"}`); r.status != 409 || r.code() != CodeFinished {
		t.Fatalf("the right code after the lockout: %d %v", r.status, r.body)
	}
	if len(h.actions) != 0 {
		t.Fatalf("actions after a failed verification: %v", h.actions)
	}
}

// A retried request with the same Idempotency-Key is answered as before and handled once: the
// code is sent once.
func TestRetriedInputIsHandledOnce(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	id, _ := h.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	h.input(id, `{"choice":"yes"}`)
	send := func(key string) int {
		req, _ := http.NewRequest("POST", h.base+"/v1/inapp/flows/"+id+"/input",
			strings.NewReader(`{"data":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`))
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := 0; i < 2; i++ {
		if status := send("form-1"); status != 200 {
			t.Fatalf("attempt %d: status %d", i, status)
		}
	}
	if len(h.sms) != 1 {
		t.Fatalf("%d codes sent for one form", len(h.sms))
	}
	if status := send(strings.Repeat("k", maxIdempotencyKey+1)); status != 400 {
		t.Fatalf("an oversized key: status %d", status)
	}
}

// Any instance serves a flow's next request: two servers share only the session store, and
// the requests of one flow alternate between them.
func TestFlowMovesBetweenInstances(t *testing.T) {
	shared := session.NewMemory()
	t.Cleanup(func() { shared.Close() })
	a := newHarness(t, harnessOptions{sessions: shared})
	b := newHarness(t, harnessOptions{sessions: shared})
	id, _ := a.start(`{"intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	want(t, b.input(id, `{"choice":"yes"}`), 200, "collect")
	want(t, a.input(id, `{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}`), 200, "verify")
	want(t, b.do("POST", "/v1/inapp/flows/"+id+"/back", ""), 200, "collect")
	want(t, a.do("GET", "/v1/inapp/flows/"+id, ""), 200, "collect")
	want(t, b.input(id, `{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}`), 200, "verify")
	want(t, a.input(id, `{"code":"`+b.lastCode()+`"}`), 200, ScreenRating)
}
